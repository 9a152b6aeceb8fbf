"""The reports core: no Qt, Vietnamese numbers, periods, and SQLite reading the covering index."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

from tthc_desk.reports import Period, fmt_decimal, fmt_int, fmt_pct, month, parse_month, preset
from tthc_desk.reports.aggregate import Scope, _parts, count_statement
from tthc_desk.reports.predicates import INDEXED, Window


def test_core_imports_no_qt():
    code = "import sys, tthc_desk.reports.service, tthc_desk.cli.report_cmds; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_numbers():
    assert fmt_int(19150) == "19.150" and fmt_int(1157) == "1.157" and fmt_int(0) == "0"
    assert fmt_pct(100 * 17993 / 19150) == "93,96 %" and fmt_pct(None) == "–"
    assert fmt_decimal(1234.5) == "1.234,50" and fmt_pct(6.04) == "6,04 %"


def test_periods():
    today = date(2026, 11, 20)
    assert preset("last_month", today) == month(2026, 10) == parse_month("2026-10")
    assert preset("this_month", today) == Period(date(2026, 11, 1), today)
    assert preset("quarter", today).start == date(2026, 10, 1) and preset("year", today).start == date(2026, 1, 1)
    assert month(2024, 2).end == date(2024, 2, 29)
    p = month(2026, 10)
    assert p.as_of(datetime(2026, 12, 1)) == datetime(2026, 11, 1)
    assert p.as_of(datetime(2026, 10, 5, 9, 30, 12)) == datetime(2026, 10, 5, 9, 31)


def test_hot_aggregate_reads_only_the_covering_index(services, admin, backend):
    if backend != "sqlite":
        return
    p = month(2025, 3)
    w = Window(p.start_at, p.end_at)
    (cols, rows, _sign), _side, *again = _parts(Scope(), w)
    assert cols is INDEXED

    def plan(cols, rows, scope) -> str:
        stmt = count_statement(cols, rows, scope, w, "unit")
        sql = str(stmt.compile(services.db.engine, compile_kwargs={"literal_binds": True}))
        with services.db.engine.connect() as c:
            return " ".join(r[-1] for r in c.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))

    for scope in (Scope(), Scope(unit_ids=(1, 2))):
        assert "COVERING INDEX ix_case_report" in plan(cols, rows, scope), plan(cols, rows, scope)
        # the cases whose wait ended after the period, counted again: found through the partial index, never
        # by a scan of the table or of the report's index
        for again_cols, again_rows, _sign in again:
            shown = plan(again_cols, again_rows, scope)
            assert "ix_case_returned" in shown and "SCAN case_file" not in shown, shown
