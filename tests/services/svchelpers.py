"""What the service tests share: the demo office's code and a look at one case's row and its events."""

from __future__ import annotations

from sqlalchemy import select

from tthc_desk.domain import EventKind
from tthc_desk.storage.models import Case

OFFICE = "000.00.17.H10"



def case_row(services, code: str) -> Case:
    with services.db.read() as s:
        return s.execute(select(Case).where(Case.code == code)).scalar_one()


def event_kinds(services, admin, code: str) -> list[EventKind]:
    return [e.kind for e in services.casefile.detail(admin, code).events]
