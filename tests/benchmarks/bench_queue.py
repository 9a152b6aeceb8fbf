"""Benchmark of the queue and search on a big office (run by hand, prints figures; not part of the test suite).

    cd /work/main && UV_PYTHON_DOWNLOADS=never uv run python tests/benchmarks/bench_queue.py [--rebuild]

Builds once (cached in /tmp) a SQLite database of 200,000 cases, 10,000 of them open: the demo office
(`build_demo`, a few thousand cases with full histories) topped up with cases written in bulk in the same
shape (realistic names with diacritics, folded search text, due and warning times from the real engine; no
event rows, which the queue does not read). Then times through `QueueService`, median of repeated runs:
the open queue by urgency (first 200 rows), diacritic-free searches ("nguyen van", a phone number) over open
and over all cases, colour counts. Prints each query's plan and the peak memory of the process.
Targets: queue first 200 <= 50 ms; each search <= 50 ms.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time as clock
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, insert, select, text  # noqa: E402

from tthc_desk import deadline  # noqa: E402
from tthc_desk.clock import FixedClock  # noqa: E402
from tthc_desk.deadline import DeadlineRule  # noqa: E402
from tthc_desk.domain import Channel, Colour, DurationUnit, Status  # noqa: E402
from tthc_desk.services import Services  # noqa: E402
from tthc_desk.services import demo_data as D  # noqa: E402
from tthc_desk.services.demo import build_demo  # noqa: E402
from tthc_desk.services.intake import search_text_for  # noqa: E402
from tthc_desk.services.queue import QueueFilter  # noqa: E402
from tthc_desk.storage.db import Database  # noqa: E402
from tthc_desk.storage.models import Case  # noqa: E402

TOTAL, OPEN = 200_000, 10_000
DEMO_CASES = 3_000
NOW = datetime(2026, 11, 20, 10, 0)
CACHE = Path("/tmp/tthc_bench_queue")
DB_PATH = CACHE / f"queue_{TOTAL}_{OPEN}_v2.sqlite3"
RUNS = 15
TARGET_MS = 50.0
CHUNK = 5_000


# ----- building the database ---------------------------------------------------------------------------------
def build(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    t0 = clock.perf_counter()
    db = Database(f"sqlite:///{tmp}")
    db.migrate()
    services = Services.build(db, FixedClock(NOW))
    services.office.ensure_office()
    summary = build_demo(services, cases=DEMO_CASES, seed=7)
    print(f"  demo office: {summary['cases']:,} cases ({summary['open']:,} open) in {clock.perf_counter() - t0:.1f} s")
    t1 = clock.perf_counter()
    _top_up(services, TOTAL - summary["cases"], OPEN - summary["open"])
    with db.write() as s:
        s.execute(text("ANALYZE"))
    db.dispose()
    tmp.rename(path)
    print(f"  bulk cases written in {clock.perf_counter() - t1:.1f} s; {path.stat().st_size / 2**20:.0f} MiB")


def _top_up(services: Services, n: int, n_open: int) -> None:
    rnd = random.Random(2026)
    with services.db.read() as s:
        template = s.execute(select(Case).where(Case.is_open.is_(True)).limit(1)).scalar_one()
        tpl = {c.key: getattr(template, c.key) for c in Case.__table__.columns}
        office = services.office.office(s, template.office_id)
        cal = services.office.calendar(s, office)
        next_id = s.execute(select(func.max(Case.id))).scalar_one() + 1
        used = {c.rsplit("-", 2)[1]: int(c.rsplit("-", 1)[1]) for c in s.execute(select(Case.code)).scalars()}
        year_max = dict(s.execute(select(Case.register_year, func.max(Case.register_number)).group_by(Case.register_year)).all())
        procs = s.execute(select(Case.procedure_id, Case.procedure_code, Case.procedure_name, Case.field, Case.rule_amount,
                                 Case.rule_unit, Case.lead_unit_id).distinct()).all()
    day_seq, year_seq = dict(used), {y: n or 0 for y, n in year_max.items()}
    pos_now = cal.position(NOW)
    rows = []
    for k in range(n):
        is_open = k < n_open
        proc = rnd.choice(procs)
        if is_open:  # the open backlog: received up to ~1.15x the time allowed ago (about 1 in 8 overdue)
            lag = rnd.uniform(0.05, 1.15) * _allowed_minutes(proc, cal.minutes_per_day)
            received = cal.moment_at(pos_now - max(10, int(lag)), prefer_end=False)
        else:  # closed cases spread over five years before
            received = NOW - timedelta(days=rnd.uniform(20, 5 * 365))
            received = cal.into_working_time(received).replace(minute=rnd.randint(0, 59))
        rows.append(_row(rnd, tpl, proc, cal, next_id + k, received, is_open, day_seq, year_seq))
        if len(rows) == CHUNK:
            _insert(services, rows)
            rows = []
    _insert(services, rows)


def _allowed_minutes(proc, per_day: int) -> float:
    amount, unit = proc[4] or 0, DurationUnit(proc[5])
    if unit is DurationUnit.WORKING_HOURS:
        return amount * 60
    if unit is DurationUnit.CALENDAR_DAYS:
        return amount * per_day * 5 / 7
    if unit is DurationUnit.SAME_DAY:
        return per_day / 2
    return amount * per_day


def _row(rnd, tpl, proc, cal, case_id, received, is_open, day_seq, year_seq) -> dict:
    proc_id, proc_code, proc_name, field, amount, unit, lead = proc
    female = rnd.random() < 0.5
    name = " ".join([rnd.choice(D.FAMILY), rnd.choice(D.MIDDLE_F if female else D.MIDDLE_M),
                     rnd.choice(D.GIVEN_F if female else D.GIVEN_M)])
    day = f"{received:%y%m%d}"
    day_seq[day] = day_seq.get(day, 0) + 1
    year_seq[received.year] = year_seq.get(received.year, 0) + 1
    due = deadline.compute_due(cal, received, DeadlineRule(amount, DurationUnit(unit)))
    warn = deadline.warning_minutes(cal, deadline.start_of_clock(cal, received), due, 480)
    row = dict(tpl)
    row.update(
        id=case_id, code=f"{tpl['code'].rsplit('-', 2)[0]}-{day}-{day_seq[day]:04d}",
        register_year=received.year, register_number=year_seq[received.year],
        procedure_id=proc_id, procedure_code=proc_code, procedure_name=proc_name, field=field,
        rule_amount=amount, rule_unit=unit, lead_unit_id=lead, applicant_name=name, owner_name=name,
        applicant_id_number=f"0520{rnd.randint(0, 99999999):08d}",
        applicant_phone=f"0{rnd.choice([3, 5, 7, 8, 9])}{rnd.randint(0, 99999999):08d}",
        applicant_address=f"{rnd.choice(D.VILLAGES).capitalize()}, {rnd.choice(D.COMMUNES)[0][5:]}, huyện Tây Sơn",
        channel=str(rnd.choices([Channel.DIRECT, Channel.ONLINE, Channel.POST], weights=[60, 36, 4])[0]),
        received_at=received, clock_from=received, due_at=due, original_due_at=due, warn_minutes=warn,
        warn_at=deadline.warn_moment(cal, due, warn), intake_token=None, created_at=received, updated_at=received,
    )
    if is_open:
        waiting = rnd.random() < 0.05
        row.update(status=str(Status.WAITING_SUPPLEMENT if waiting else Status.PROCESSING), is_open=True,
                   current_unit_id=lead, result_at=None, returned_at=None, closed_at=None)
    else:
        done = received + (due - received) * rnd.uniform(0.2, 1.15)
        row.update(status=str(Status.RETURNED), is_open=False, result_at=done, returned_at=done + timedelta(hours=5),
                   current_unit_id=tpl["current_unit_id"], updated_at=done)
    row["search_text"] = search_text_for(_Obj(row))
    return row


class _Obj:
    def __init__(self, d: dict) -> None:
        self.__dict__.update(d)


def _insert(services: Services, rows: list[dict]) -> None:
    if rows:
        with services.db.write() as s:
            s.connection().execute(insert(Case.__table__), rows)


# ----- timing ------------------------------------------------------------------------------------------------
def median_ms(fn, runs: int = RUNS) -> tuple[float, object]:
    fn()  # warm
    times, out = [], None
    for _ in range(runs):
        t0 = clock.perf_counter()
        out = fn()
        times.append((clock.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def report(label: str, ms: float, detail: str, target: float | None = TARGET_MS) -> None:
    mark = "" if target is None else f"  [target <= {target:.0f} ms: {'OK' if ms <= target else 'MISSED'}]"
    print(f"{label:<44} {ms:8.1f} ms  {detail}{mark}")


def explain(db: Database, stmt) -> list[str]:
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        return [r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]


def main() -> None:
    if "--rebuild" in sys.argv and DB_PATH.exists():
        DB_PATH.unlink()
    if not DB_PATH.exists():
        print(f"building {DB_PATH} (once; cached) ...")
        build(DB_PATH)
    db = Database(f"sqlite:///{DB_PATH}")
    db.migrate()  # a cached file from an older schema gets the newer indexes (a copy is kept first)
    services = Services.build(db, FixedClock(NOW))
    actor = services.office.actor_for("admin")
    q = services.queue
    with db.read() as s:
        total = s.execute(select(func.count(Case.id))).scalar_one()
        n_open = s.execute(select(func.count(Case.id)).where(Case.is_open.is_(True))).scalar_one()
        phone = s.execute(select(Case.applicant_phone).where(Case.is_open.is_(False)).order_by(Case.id.desc()).limit(1)).scalar_one()
    print(f"database: {total:,} cases, {n_open:,} open; now = {NOW:%d/%m/%Y %H:%M}; median of {RUNS} runs")

    q.list(actor, QueueFilter(), limit=200)  # builds and caches the office calendar, as the window does once
    ms, rows = median_ms(lambda: q.list(actor, QueueFilter(), limit=200))
    report("open queue by urgency, first 200 (list)", ms, f"{len(rows)} rows, first {rows[0].colour}")
    ms, _ = median_ms(lambda: q.ids(actor, QueueFilter(), limit=200))
    report("  of which: ids in order (SQL)", ms, "", None)
    ids = q.ids(actor, QueueFilter(), limit=200)
    ms, _ = median_ms(lambda: q.rows(actor, ids))
    report("  of which: 200 display rows", ms, "", None)
    ms, all_ids = median_ms(lambda: q.ids(actor, QueueFilter()))
    report("all open ids in order (lazy model)", ms, f"{len(all_ids):,} ids", None)
    ms, counts = median_ms(lambda: q.colour_counts(actor, QueueFilter()))
    report("colour counts (open)", ms, ", ".join(f"{c.value} {counts[c]:,}" for c in Colour), None)

    searches = [("nguyen van", True), ("nguyen van", False), ("Nguyễn Thị Thu", False), (phone, True), (phone, False),
                (phone[-4:], False)]
    for needle, open_only in searches:
        flt = QueueFilter(text=needle, open_only=open_only)
        ms, rows = median_ms(lambda flt=flt: q.list(actor, flt, limit=200))
        where = "open" if open_only else "all"
        report(f"search '{needle}' ({where})", ms, f"{len(rows)} rows")
    ms, n = median_ms(lambda: q.count(actor, QueueFilter(text="nguyen van", open_only=False)))
    report("count 'nguyen van' (all)", ms, f"{n:,} cases", None)

    print("\nquery plans (EXPLAIN QUERY PLAN):")
    now = NOW
    plans = {
        "queue ids": _ids_stmt(q, actor, QueueFilter(), now),
        "search 'nguyen van' (all)": _ids_stmt(q, actor, QueueFilter(text="nguyen van", open_only=False), now),
        "search phone (all)": _ids_stmt(q, actor, QueueFilter(text=phone, open_only=False), now),
    }
    for label, stmt in plans.items():
        print(f"  {label}: " + " | ".join(explain(db, stmt)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (ru_maxrss): {peak:.0f} MiB; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def _ids_stmt(q, actor, flt: QueueFilter, now: datetime):
    from tthc_desk.storage.models import Case as C

    keys = [C.is_open.desc(), (C.status == str(Status.WAITING_SUPPLEMENT)), C.original_due_at, C.id]
    return select(C.id).where(*q._where(actor, flt, now)).order_by(*keys).limit(200)


if __name__ == "__main__":
    main()
