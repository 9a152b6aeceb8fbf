"""Codes pasted with invisible characters are the codes we hold: re-importing them creates no new case."""

from __future__ import annotations

import xlsxwriter
from portal_files import HEADERS, KS, build_portal, row
from sqlalchemy import select

from tthc_desk.storage.models import Case
from tthc_desk.sync.reader import read_cases_file

# The reader's quick paths (reader.py `_tidy_texts`, `_fast_outcome`) keep a tidy NFC text cell as it is,
# without `code_text`/`plain_text`, so a zero-width space survives them until reader.py sends cells holding
# `values.INVISIBLE` characters down the general path. Strict: these fail loudly once it does — drop the mark.
CODES = ["000.00.17.H10-250303-0001", "000.00.17.H10-250303-0002", "000.00.17.H10-250303-0003"]


def test_reader_drops_invisible_characters_from_codes(tmp_path):
    path = build_portal(tmp_path / "dan_tu_web.xlsx", [
        row(1, CODES[0] + "\u200b", proc=KS + "\u200b", cid="\ufeff052090001234", phone="0905\u2060123456"),
        row(2, "\ufeff" + CODES[1], applicant="Trần\u200b Thị Bích\u200d"),
        row(3, "\xa0" + CODES[2] + "\u00ad"),
    ])  # fmt: skip
    parsed = read_cases_file(path)
    assert [r.code for r in parsed.rows] == CODES
    first = parsed.rows[0]
    assert (first.procedure_code, first.citizen_id, first.phone) == (KS, "052090001234", "0905123456")
    assert parsed.rows[1].applicant == "Trần Thị Bích"
    assert parsed.rejected == []


def test_reimporting_codes_with_a_zero_width_space_adds_no_case(office, admin, tmp_path):
    plain = build_portal(tmp_path / "lan_1.xlsx", [row(1, CODES[0]), row(2, CODES[1])])
    assert office.sync.run_import(admin, plain).counts["new"] == 2
    pasted = build_portal(tmp_path / "lan_2.xlsx", [
        row(1, CODES[0] + "\u200b"), row(2, "\ufeff" + CODES[1], proc=KS + "\u200b"),
    ])  # fmt: skip
    plan = office.sync.plan_import(admin, pasted)
    assert plan.counts["new"] == 0 and plan.counts["unchanged"] == 2 and plan.counts["rejected"] == 0
    assert not plan.unknown_procedures
    result = office.sync.run_import(admin, pasted)
    assert result.counts["new"] == 0 and result.counts["unchanged"] == 2


def test_control_characters_from_a_workbook_are_dropped_on_every_database(office, admin, tmp_path):
    """A portal file's "_x0000_" is a NUL in the cell: SQLite kept it, PostgreSQL refused the whole import
    with a raw error. Control characters are no part of a text and are removed at the boundary."""
    path = tmp_path / "ky_tu_dieu_khien.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    cells = [
        row(1, CODES[0] + "\x00", applicant="Nguyễn\x00 Văn\x01 An", address="Thôn 1,\x1f xã An Bình\x7f",
            received="03/03/2025 08:30", due="06/03/2025 08:30"),
        row(2, CODES[1], applicant="Trần Thị\x08 Bích", received="03/03/2025 08:30", due="06/03/2025 08:30"),
    ]  # fmt: skip
    for i, cells_of_row in enumerate(cells, start=1):
        sheet.write_row(i, 0, cells_of_row)
    book.close()
    assert office.sync.run_import(admin, path).counts["new"] == 2
    with office.db.read() as s:
        stored = {c.code: c for c in s.execute(select(Case)).scalars()}
    assert stored[CODES[0]].applicant_name == "Nguyễn Văn An"
    assert stored[CODES[0]].applicant_address == "Thôn 1, xã An Bình"
    assert stored[CODES[1]].applicant_name == "Trần Thị Bích"
