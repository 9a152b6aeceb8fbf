"""Offices seeded before revision 0008 showed the library the holidays' dates came from as their legal basis;
the upgrade gives the statutory holidays the Labour Code's article, and keeps a basis an administrator typed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, bindparam, select, text

from tthc_desk.services.calendar_service import STATUTORY_BASIS
from tthc_desk.storage.models import CalendarDay

SHIPPED = "python-holidays 0.109 (vacanza/holidays, MIT) holidays/countries/vietnam.py"
NEW_YEAR, GIO_TO, TYPED = date(2025, 1, 1), date(2025, 4, 7), date(2025, 9, 2)


def test_the_upgrade_names_the_labour_code_for_statutory_holidays(services, tmp_path) -> None:
    with services.db.write() as s:  # as an office seeded before 0008 holds them
        s.execute(text("UPDATE calendar_override SET source = :src"), {"src": SHIPPED})
        s.execute(text("UPDATE calendar_override SET source = 'Công văn của UBND tỉnh' WHERE day = :d")
                  .bindparams(bindparam("d", type_=Date)), {"d": TYPED})
        s.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    services.db.migrate(backup_dir=tmp_path / "backups")
    with services.db.read() as s:
        basis = dict(s.execute(select(CalendarDay.day, CalendarDay.source)).all())
    assert basis[NEW_YEAR] == basis[GIO_TO] == STATUTORY_BASIS
    assert basis[TYPED] == "Công văn của UBND tỉnh"  # the administrator's own words stay
    swapped = [day for day, source in basis.items() if source == SHIPPED]
    assert swapped and all(day not in (NEW_YEAR, GIO_TO) for day in swapped)  # compensatory days keep theirs
