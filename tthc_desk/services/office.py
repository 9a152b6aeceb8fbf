"""The office itself: first set-up, settings (letterhead, signers, hours, cut-off, warning window)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exists, select

from tthc_desk.domain import Role
from tthc_desk.errors import ValidationError
from tthc_desk.services.accounts import actor_statement, check_new_password, hash_password
from tthc_desk.services.actor import actor_from_row
from tthc_desk.services.base import Actor, ServiceBase
from tthc_desk.services.calendar_service import seed_calendar
from tthc_desk.services.ledger import add_audit
from tthc_desk.services.rights import Action, require
from tthc_desk.storage.models import Case, Office, Unit, User
from tthc_desk.text import clean, clean_multiline

if TYPE_CHECKING:
    from tthc_desk.services.catalogue import CatalogueImportReport

# the authority written above a signer's title (Nghị định 30/2020): on behalf of a collective body, for the
# head, by order of, acting; or none
SIGNER_PREFIXES = ("", "TM.", "KT.", "TL.", "Q.")
OFFICE_CODE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$")
_SESSIONS = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}(,\d{2}:\d{2}-\d{2}:\d{2})*$")


@dataclass
class OfficeSettings:
    name: str
    code: str
    place_name: str = ""
    parent_body: str = ""
    issuing_body: str = ""
    address: str = ""
    phone: str = ""
    signers: list[dict] = field(default_factory=list)
    sessions: str = "07:00-11:30,13:30-17:00"
    cutoff: str = "15:00"
    warning_minutes: int = 480
    supplement_mode: str = "restart"
    on_time_target: float = 95.0
    form_profile: str = "tt01_2018"

    def validate(self) -> None:
        if not clean(self.name):
            raise ValidationError("Chưa nhập tên cơ quan.", field="name")
        if not OFFICE_CODE.match(clean(self.code).upper()):
            raise ValidationError("Mã định danh cơ quan phải có dạng 000.00.17.H10.", field="code")
        sessions = self.sessions.replace(" ", "")
        if not _SESSIONS.match(sessions):
            raise ValidationError("Giờ làm việc ghi dạng 07:00-11:30,13:30-17:00.", field="sessions")
        try:
            bounds = [time.fromisoformat(x) for part in sessions.split(",") for x in part.split("-")]
        except ValueError:  # 25:00 has the shape of a time but is none
            raise ValidationError("Giờ làm việc có giờ không tồn tại (ví dụ 25:00).", field="sessions") from None
        if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
            raise ValidationError("Các phiên làm việc phải theo thứ tự và không chồng lên nhau.", field="sessions")
        try:
            time.fromisoformat(self.cutoff)
        except ValueError:
            raise ValidationError("Giờ chốt nhận hồ sơ ghi dạng HH:MM, ví dụ 15:00.", field="cutoff") from None
        if self.supplement_mode not in ("restart", "pause"):
            raise ValidationError("Cách tính khi bổ sung là 'restart' hoặc 'pause'.", field="supplement_mode")
        if not 0 <= self.warning_minutes <= 10 * 480:
            raise ValidationError("Ngưỡng cảnh báo không hợp lệ.", field="warning_minutes")
        if not 0 <= self.on_time_target <= 100:
            raise ValidationError("Chỉ tiêu đúng hạn là tỷ lệ phần trăm từ 0 đến 100.", field="on_time_target")
        for signer in self.signers:
            if clean(str(signer.get("prefix", ""))) not in SIGNER_PREFIXES:
                raise ValidationError(f"Thẩm quyền ký '{signer.get('prefix')}' không hợp lệ (để trống hoặc "
                                      f"{', '.join(p for p in SIGNER_PREFIXES if p)}).", field="signers")
        from tthc_desk.documents.profiles import available_profiles

        if self.form_profile not in available_profiles():
            raise ValidationError(f"Không có bộ mẫu văn bản '{self.form_profile}'.", field="form_profile")


DEFAULT_OFFICE = OfficeSettings(name="Bộ phận Một cửa", code="000.00.00.H00", place_name="",
                                parent_body="ỦY BAN NHÂN DÂN", issuing_body="BỘ PHẬN MỘT CỬA")


def head_signer(parent_body: str, title: str, name: str) -> list[dict]:
    """The signers list for an office whose letters its head signs, in the national layout (Nghị định
    30/2020): a chair signs on behalf of the collective body named on the letterhead's first line
    ("TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH"), a deputy for the head ("KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH"), anyone
    else in their own title. Empty when neither title nor name is given."""
    title, name = clean(title).upper(), clean(name)
    if not (title or name):
        return []
    title = title or "CHỦ TỊCH"
    body = next(iter(clean_multiline(parent_body.replace("|", "\n")).upper().splitlines()), "")
    if title == "CHỦ TỊCH" and body:
        prefix, authority = "TM.", body
    elif title.startswith("PHÓ ") and len(title) > 4:
        prefix, authority = "KT.", title[4:]
    else:
        prefix, authority = "", ""
    return [{"prefix": prefix, "authority": authority, "title": title, "name": name}]


def _to_row(office: Office, st: OfficeSettings) -> None:
    office.name, office.code, office.place_name = clean(st.name), clean(st.code).upper(), clean(st.place_name)
    office.parent_body, office.issuing_body = clean_multiline(st.parent_body), clean(st.issuing_body)
    office.address, office.phone = clean(st.address), clean(st.phone)
    office.signers = [{k: clean(str(v)) for k, v in sg.items()} for sg in st.signers]
    office.sessions, office.cutoff = st.sessions.replace(" ", ""), st.cutoff
    office.warning_minutes, office.supplement_mode = st.warning_minutes, st.supplement_mode
    office.on_time_target, office.form_profile = st.on_time_target, st.form_profile


def settings_of(o: Office) -> OfficeSettings:
    return OfficeSettings(o.name, o.code, o.place_name, o.parent_body, o.issuing_body, o.address, o.phone,
                          list(o.signers or []), o.sessions, o.cutoff, o.warning_minutes, o.supplement_mode,
                          o.on_time_target, o.form_profile)


class OfficeService(ServiceBase):
    def ensure_office(self, settings: OfficeSettings | None = None, admin_password: str | None = None) -> tuple[int, str | None]:
        """Create the office, its desk unit, an administrator and the calendar when the database is empty.
        Returns (office id, the generated admin password or None when nothing was created)."""
        with self.audited_write() as s:
            existing = s.execute(select(Office.id).order_by(Office.id).limit(1)).scalar()
            if existing is not None:
                return existing, None
            st = settings or DEFAULT_OFFICE
            st.validate()
            office = Office()
            _to_row(office, st)
            s.add(office)
            s.flush()
            desk = Unit(office_id=office.id, name="Bộ phận Một cửa", kind="bộ phận")
            s.add(desk)
            s.flush()
            password = admin_password or secrets.token_urlsafe(9)
            s.add(User(office_id=office.id, unit_id=desk.id, username="admin", full_name="Quản trị hệ thống",
                       title="Quản trị", role=str(Role.ADMIN), password_hash=hash_password(password)))
            seed_calendar(s)
            add_audit(s, self.now(), None, "init_office", "office", office.id, {"code": office.code})
            return office.id, password

    def settings(self, actor: Actor) -> OfficeSettings:
        with self.db.read() as s:
            return settings_of(self.office(s, actor.office_id))

    def update(self, actor: Actor, st: OfficeSettings) -> None:
        st.validate()
        with self.audited_write() as s:
            user = self.user_row(s, actor, Action.EDIT_OFFICE)
            office = self.office(s, user.office_id)
            before = settings_of(office).__dict__
            _to_row(office, st)
            changed = {k: v for k, v in settings_of(office).__dict__.items() if before.get(k) != v}
            add_audit(s, self.now(), user.id, "update_office", "office", office.id, changed)

    def first_setup(self, actor: Actor, st: OfficeSettings, new_password: str,
                    catalogue: str | Path | None = None) -> CatalogueImportReport | None:
        """The first-run set-up of a new database, in one transaction: the office's name, code and letterhead,
        the administrator's own password in place of the generated one, and (when a file is given) the
        procedure catalogue. Anything refused leaves the database as it was. Only while the office has no
        case: after that, each part is changed in its own place (settings, users, catalogue)."""
        st.validate()
        check_new_password(new_password)
        loaded = None
        if catalogue is not None:
            from tthc_desk.services.catalogue import read_catalogue_report

            loaded = read_catalogue_report(catalogue)  # read before the write lock is taken
        with self.audited_write() as s:
            user = self.user_row(s, actor, Action.EDIT_OFFICE)
            require(user.role, Action.EDIT_USERS)
            if loaded is not None:
                require(user.role, Action.EDIT_CATALOGUE)
            if s.execute(select(exists().where(Case.office_id == user.office_id))).scalar():
                raise ValidationError("Cơ quan đã có hồ sơ: thiết lập lần đầu không còn dùng được; hãy sửa "
                                      "trong Danh mục / Cài đặt.")
            office = self.office(s, user.office_id)
            _to_row(office, st)
            user.password_hash = hash_password(new_password)
            add_audit(s, self.now(), user.id, "first_setup", "office", office.id,
                      {"name": office.name, "code": office.code, "catalogue": bool(loaded)})
            if loaded is None:
                return None
            from tthc_desk.services.catalogue import store_catalogue

            parsed, report = loaded
            store_catalogue(s, user.id, self.now(), catalogue, parsed, report)
            return report

    def actor_for(self, username: str) -> Actor:
        """The acting user for the command line (`--user`), without a password: the CLI runs on the
        machine that holds the database, where its files are already within reach."""
        with self.db.read() as s:
            row = s.execute(actor_statement(clean(username).lower())).first()
            if row is None:
                raise ValidationError(f"Không có người dùng '{username}'.", field="user")
            return actor_from_row(row)
