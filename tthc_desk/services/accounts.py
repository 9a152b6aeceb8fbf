"""Users and logging in: Argon2id password hashes, roles, units."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from tthc_desk.domain import Role
from tthc_desk.errors import NotFound, PermissionDenied, ValidationError
from tthc_desk.services.base import Actor, ServiceBase, check_length
from tthc_desk.services.ledger import add_audit
from tthc_desk.services.passwords import check_password, hash_password, needs_rehash
from tthc_desk.services.rights import Action
from tthc_desk.storage.models import Unit, User
from tthc_desk.text import clean

_USERNAME = re.compile(r"^[a-z0-9._-]{3,60}$")


@dataclass(frozen=True)
class UserAccount:
    """A user as the administrator's list shows it (an Actor plus whether the account is active)."""

    user_id: int
    username: str
    full_name: str
    title: str
    role: Role
    unit_id: int | None
    unit_name: str
    active: bool


def actor_statement(username: str):
    """The active user of this login name as `actor_from_row` reads it (the name is the parameter "username",
    so the start-up plan can ask it again without SQLAlchemy)."""
    return (
        select(User.id, User.username, User.full_name, User.role, User.office_id, User.unit_id,
               func.coalesce(Unit.name, "").label("unit_name"), User.title)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(User.username == bindparam("username", username), User.active.is_(True))
    )


def password_statement(username: str):
    """The stored hash of the active user of this login name (parameter "username", as `actor_statement`)."""
    return select(User.password_hash).where(User.username == bindparam("username", username), User.active.is_(True))


def actor_of(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        office_id=user.office_id,
        unit_id=user.unit_id,
        unit_name=user.unit.name if user.unit else "",
        title=user.title,
    )


class AccountService(ServiceBase):
    def login(self, username: str, password: str) -> Actor:
        """The user for these credentials; a wrong name or password gives one and the same message."""
        with self.db.write() as s:
            user = s.execute(select(User).where(User.username == clean(username).lower())).scalar_one_or_none()
            bad = PermissionDenied("Tên đăng nhập hoặc mật khẩu không đúng.")
            if user is None or not user.active:
                raise bad
            if not check_password(user.password_hash, password):
                raise bad
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            return actor_of(user)

    def list_users(self, actor: Actor) -> list[Actor]:
        with self.db.read() as s:
            self.user_row(s, actor)
            rows = s.execute(select(User).where(User.office_id == actor.office_id).order_by(User.full_name)).scalars()
            return [actor_of(u) for u in rows]

    def list_accounts(self, actor: Actor) -> list[UserAccount]:
        """Every user of the office, active or not, by full name."""
        with self.db.read() as s:
            self.user_row(s, actor)
            rows = s.execute(select(User).where(User.office_id == actor.office_id).order_by(User.full_name)).scalars()
            return [UserAccount(u.id, u.username, u.full_name, u.title, Role(u.role), u.unit_id,
                                u.unit.name if u.unit else "", u.active) for u in rows]

    def create_user(
        self, actor: Actor, username: str, full_name: str, role: Role | str, password: str,
        unit_id: int | None = None, title: str = "",
    ) -> Actor:
        username, full_name, title = clean(username).lower(), clean(full_name), clean(title)
        if not _USERNAME.match(username):
            raise ValidationError("Tên đăng nhập gồm 3–60 ký tự chữ thường không dấu, số, dấu chấm, gạch.", field="username")
        if not full_name:
            raise ValidationError("Chưa nhập họ tên người dùng.", field="full_name")
        check_length(full_name, 255, "Họ tên", "full_name")
        check_length(title, 255, "Chức danh", "title")
        check_new_password(password)
        role = role_of(role)
        with self.audited_write() as s:
            self.user_row(s, actor, Action.EDIT_USERS)
            if s.execute(select(User.id).where(User.username == username)).first():
                raise ValidationError(f"Tên đăng nhập '{username}' đã có người dùng.", field="username")
            if unit_id is not None:
                self.unit(s, unit_id, actor.office_id)
            user = User(office_id=actor.office_id, unit_id=unit_id, username=username, full_name=full_name,
                        title=title, role=str(role), password_hash=hash_password(password))
            s.add(user)
            s.flush()
            add_audit(s, self.now(), actor.user_id, "create_user", "user", user.id,
                      {"username": username, "role": str(role), "unit_id": unit_id})
            s.refresh(user)
            return actor_of(user)

    def reset_password(self, actor: Actor, user_id: int, new_password: str) -> None:
        check_new_password(new_password)
        with self.audited_write() as s:
            self.user_row(s, actor, Action.EDIT_USERS)
            user = s.get(User, user_id)
            if user is None or user.office_id != actor.office_id:
                raise NotFound("Không tìm thấy người dùng.")
            user.password_hash = hash_password(new_password)
            add_audit(s, self.now(), actor.user_id, "reset_password", "user", user.id, {})

    def set_role(self, actor: Actor, user_id: int, role: Role | str, unit_id: int | None = None,
                 active: bool = True) -> None:
        """Change a user's role, unit and whether the account is active; an unknown role, a unit of no office
        of ours or taking away one's own administration is refused, and nothing is written."""
        role, active = role_of(role), bool(active)
        with self.audited_write() as s:
            self.user_row(s, actor, Action.EDIT_USERS)
            user = s.get(User, user_id)
            if user is None or user.office_id != actor.office_id:
                raise NotFound("Không tìm thấy người dùng.")
            if user.id == actor.user_id and (role is not Role.ADMIN or not active):
                raise ValidationError("Không thể tự bỏ quyền quản trị của chính mình.")
            if unit_id is not None:
                self.unit(s, unit_id, actor.office_id)
            user.role, user.unit_id, user.active = str(role), unit_id, active
            add_audit(s, self.now(), actor.user_id, "set_role", "user", user.id,
                      {"role": str(role), "unit_id": unit_id, "active": active})

    # ----- units -----------------------------------------------------------------------------------
    def list_units(self, actor: Actor) -> list[dict]:
        with self.db.read() as s:
            rows = s.execute(select(Unit).where(Unit.office_id == actor.office_id).order_by(Unit.name)).scalars()
            return [{"id": u.id, "name": u.name, "parent_id": u.parent_id, "kind": u.kind, "code": u.code,
                     "active": u.active, "needs_review": u.needs_review} for u in rows]

    def save_unit(self, actor: Actor, name: str, parent_id: int | None = None, kind: str = "",
                  unit_id: int | None = None, code: str = "") -> int:
        name, kind, code = clean(name), clean(kind), clean(code)
        if not name:
            raise ValidationError("Chưa nhập tên đơn vị.", field="name")
        check_length(name, 255, "Tên đơn vị", "name")
        check_length(kind, 40, "Loại đơn vị", "kind")
        check_length(code, 40, "Mã đơn vị", "code")
        with self.audited_write() as s:
            self.user_row(s, actor, Action.EDIT_UNITS)
            clash = s.execute(select(Unit.id).where(Unit.office_id == actor.office_id, Unit.name == name)).scalar()
            if clash and clash != unit_id:
                raise ValidationError(f"Đã có đơn vị tên '{name}'.", field="name")
            if parent_id is not None:
                self.unit(s, parent_id, actor.office_id)
            unit = self.unit(s, unit_id, actor.office_id) if unit_id else Unit(office_id=actor.office_id)
            if unit_id and parent_id is not None and _is_descendant(s, parent_id, unit_id):
                raise ValidationError("Không thể đặt đơn vị làm cấp dưới của chính nó.", field="parent_id")
            unit.name, unit.parent_id, unit.kind, unit.code, unit.needs_review = name, parent_id, kind, code, False
            s.add(unit)
            s.flush()
            add_audit(s, self.now(), actor.user_id, "save_unit", "unit", unit.id, {"name": name, "parent_id": parent_id})
            return unit.id


def _is_descendant(s, candidate: int, ancestor: int) -> bool:
    node = s.get(Unit, candidate)
    while node is not None:
        if node.id == ancestor:
            return True
        node = s.get(Unit, node.parent_id) if node.parent_id else None
    return False


def role_of(role: Role | str | None) -> Role:
    """The Role a caller names (a Role or its value, e.g. "desk"); anything else is a ValidationError."""
    try:
        return Role(clean(role).lower())
    except ValueError:
        choices = ", ".join(f"{r.value} ({r.label})" for r in Role)
        raise ValidationError(f"Vai trò '{clean(role)}' không hợp lệ; chỉ dùng: {choices}.", field="role") from None



def check_new_password(password: str) -> None:
    if len(password or "") < 6:
        raise ValidationError("Mật khẩu phải có ít nhất 6 ký tự.", field="password")
