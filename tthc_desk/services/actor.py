"""The logged-in user as the services see it (no database imports: the window's start-up uses it)."""

from __future__ import annotations

from typing import NamedTuple

from tthc_desk.domain import Role


class Actor(NamedTuple):
    """The logged-in user as the services see it (re-checked against the database on every call). A NamedTuple,
    as the other records the window's first paint needs: a dataclass costs the start 1-2 ms to create."""

    user_id: int
    username: str
    full_name: str
    role: Role
    office_id: int
    unit_id: int | None
    unit_name: str = ""
    title: str = ""


def actor_from_row(row) -> Actor:
    """From a row of `accounts.actor_statement`: id, username, full name, role, office, unit, unit name, title."""
    user_id, username, full_name, role, office_id, unit_id, unit_name, title = row
    return Actor(user_id, username, full_name, Role(role), office_id, unit_id, unit_name or "", title or "")
