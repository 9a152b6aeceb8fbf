"""Properties: any mix of good and bad rows imports exactly the good ones, or (when fatal) nothing at all."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from portal_files import KS, build_portal, db_fingerprint, row

from tthc_desk.clock import FixedClock
from tthc_desk.errors import ImportFailed
from tthc_desk.services import Services
from tthc_desk.storage.db import Database, make_url

BAD = {
    "date": lambda n: row(n, received="31/02/2025"),
    "no_code": lambda n: row(n)[:1] + [None] + row(n)[2:],
    "no_received": lambda n: row(n, received=None),
    "due_before": lambda n: row(n, due=datetime(2025, 2, 1)),
    "status": lambda n: row(n, status="Chưa rõ là gì"),
    "duplicate": lambda n: row(n, code="000.00.17.H10-250303-0001"),
}


@st.composite
def mixes(draw):
    kinds = draw(st.lists(st.sampled_from(["good", "good", *BAD]), min_size=1, max_size=10))
    fatal = draw(st.sampled_from([None, "unit", "procedure"]))
    rows = [row(1)]  # the first row is good: duplicates point at it
    for i, kind in enumerate(kinds, start=2):
        rows.append(row(i, received=datetime(2025, 3, 1, 9, 0) - timedelta(hours=i)) if kind == "good"
                    else BAD[kind](i))
    if fatal == "unit":
        rows.append(row(99, unit="Đơn vị chưa có"))
    elif fatal == "procedure":
        rows.append(row(99, proc="9.999999", proc_name="Thủ tục lạ"))
    return rows, kinds, fatal


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mix=mixes())
def test_property_good_rows_in_bad_rows_reported_fatal_files_change_nothing(initialised_template, tmp_path_factory,
                                                                             mix):
    rows, kinds, fatal = mix
    folder = tmp_path_factory.mktemp("mix")
    shutil.copyfile(initialised_template("sqlite").removeprefix("sqlite:///"), folder / "db.sqlite3")
    db = Database(make_url(folder / "db.sqlite3"))
    db.migrate()
    s = Services.build(db, FixedClock(datetime(2025, 3, 3, 12, 0)))
    admin = s.office.actor_for("admin")
    s.accounts.save_unit(admin, "Phòng Tư pháp")
    s.catalogue.save(admin, None, code=KS, name="Khai sinh", field_name="Hộ tịch",
                     durations={ch: (3, "working_days") for ch in ("direct", "online", "post")})
    path = build_portal(folder / "mix.xlsx", rows)
    before = db_fingerprint(s)
    plan = s.sync.plan_import(admin, path)
    bad_rows = sorted(4 + i for i, k in enumerate(kinds, start=1) if k != "good")
    assert [r.row_number for r in plan.rejected] == bad_rows
    try:
        if fatal:
            assert not plan.importable
            try:
                s.sync.run_import(admin, plan)
            except ImportFailed:
                pass
            else:
                raise AssertionError("a fatal file was imported")
            assert db_fingerprint(s) == before
        else:
            result = s.sync.run_import(admin, plan)
            assert result.counts["new"] == 1 + kinds.count("good")
    finally:
        db.dispose()


_SEARCH_COLUMNS = ("code", "applicant_name", "owner_name", "applicant_id_number", "owner_id_number",
                   "applicant_phone", "procedure_code")
_TRICKY = ["", " ", "   ", "\t\n", "\u00a0", "Đ", "đặng", "ĐÀO THỊ Ánh", "Nguye\u0302\u0303n", "e\u0301",
           "\u0301", "\u0340", "a\x00b", "\x00", " Lê  Văn\tTám ", "İstanbul", "Straße", "K\u212a", "Å\u212b",
           "ǅ", "Ω\u2126", "000.00.17.H10-250303-0001", "1.001234.000.00.00.H10", "0912 345 678", "Ŀ", "ﬁ"]


def _search_case(values):
    from types import SimpleNamespace

    return SimpleNamespace(**dict(zip(_SEARCH_COLUMNS, values, strict=True)))


def test_bulk_search_text_is_intake_search_text_on_tricky_inputs():
    from itertools import product

    from tthc_desk.services.intake import search_text_for
    from tthc_desk.sync.service_write import _search_text

    for a, b in product(_TRICKY, repeat=2):
        for values in ([a, b, a, b, "", b, a], [a, "", "", "", "", "", b], [b] * 7, ["", a, "", b, "", "", ""]):
            assert _search_text(dict(zip(_SEARCH_COLUMNS, values, strict=True))) == search_text_for(
                _search_case(values)), values


@given(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(_TRICKY)), min_size=7, max_size=7))
def test_property_bulk_search_text_is_intake_search_text(values):
    from tthc_desk.services.intake import search_text_for
    from tthc_desk.sync.service_write import _search_text

    assert _search_text(dict(zip(_SEARCH_COLUMNS, values, strict=True))) == search_text_for(_search_case(values))


@settings(max_examples=100, deadline=None)
@given(st.datetimes(datetime(2024, 1, 1), datetime(2027, 12, 31)), st.integers(0, 60 * 24 * 40),
       st.sampled_from([0, 1, 30, 240, 480, 960]), st.integers(1, 3))
def test_property_cached_warning_window_is_the_deadline_one(received, span, window, repeats):
    from tthc_desk import deadline
    from tthc_desk.calendar import WorkCalendar
    from tthc_desk.sync.service_write import _Warn

    cal, ref = WorkCalendar(), WorkCalendar()
    received = received.replace(second=0, microsecond=0)
    due = cal.moment_at(cal.position(received) + span // 7 * 7)
    warn = _Warn(cal)
    for shift in range(repeats):  # the same due time reached from other receipts: the cached positions
        at = received + timedelta(hours=5 * shift)
        if at > due:
            break
        start = deadline.start_of_clock(ref, at)
        minutes = deadline.warning_minutes(ref, min(start, due), due, window)
        assert warn(at, due, window) == (minutes, deadline.warn_moment(ref, due, minutes))
    early = datetime(2015, 3, 2, 9, 0)  # an older receipt moves the calendar's origin: cached positions renew
    start = deadline.start_of_clock(ref, early)
    minutes = deadline.warning_minutes(ref, min(start, due), due, window)
    assert warn(early, due, window) == (minutes, deadline.warn_moment(ref, due, minutes))
    # the column form the bulk insert uses, from a fresh calendar whose origin the oldest receipt moves
    receipts = [received, early, received + timedelta(hours=5), datetime(2008, 5, 5, 16, 59)]
    dues = [due, due, None, due]
    expected = [warn(r, d, window) if d is not None else (0, None) for r, d in zip(receipts, dues, strict=True)]
    minutes, moments = _Warn(WorkCalendar()).many(receipts, dues, [window] * len(receipts))
    assert list(zip(minutes, moments, strict=True)) == expected
