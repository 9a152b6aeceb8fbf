"""Benchmark: Biểu II.06a by unit over 1,000,000 cases on SQLite, and the dashboard load on the demo office.

    uv run python tests/benchmarks/bench_reports.py [--cases 1000000] [--rebuild]

Builds once /tmp/tthc_bench_reports_<n>.sqlite3 (bulk Core inserts in chunks, 20 units, 3 years, late rates from
1 % to 17 %), then times, best of 5 after one warm-up:
  - II.06a by unit for one month through ReportService.report (the figures, apologies and accountability);
  - one hand-written SQL aggregate computing the same 16 counts (the floor);
and prints both, their ratio (targets: ≤ 1 s, ≤ 1.5×), the dashboard load on the demo office (target ≤ 1 s;
/tmp/rep.sqlite3 from `tthc-desk --db /tmp/rep.sqlite3 --now "2026-11-20 10:00" demo --cases 8000`, built if
missing) and the peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from tthc_desk.clock import FixedClock
from tthc_desk.reports import month
from tthc_desk.services import Services
from tthc_desk.services.office import OfficeSettings
from tthc_desk.storage.db import Database, make_url
from tthc_desk.storage.models import Case

NOW = datetime(2026, 11, 20, 10, 0)
CHUNK = 20_000
FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Kinh doanh", "Lao động", "Bảo trợ xã hội"]


def build(path: Path, n: int) -> None:
    db = Database(make_url(path))
    db.migrate()
    services = Services.build(db, FixedClock(NOW))
    services.office.ensure_office(OfficeSettings(name="Bench", code="000.00.17.H10", place_name="Tây Sơn"),
                                  admin_password="bench-123456")
    admin = services.accounts.login("admin", "bench-123456")
    units = [services.accounts.save_unit(admin, f"Đơn vị {i:02d}") for i in range(20)]
    late = {u: 0.01 + 0.16 * (i % 7) / 6 for i, u in enumerate(units)}
    weight = [3.0 if i < 3 else (0.1 if i == 19 else 1.0) for i in range(20)]
    rnd = random.Random(7)
    start = NOW - timedelta(days=3 * 365)
    span = int((NOW - start).total_seconds() // 60)
    t0 = time.perf_counter()
    with db.write() as s:
        conn = s.connection()
        rows = []
        for i in range(n):
            rec = start + timedelta(minutes=rnd.randrange(span))
            unit = rnd.choices(units, weight)[0]
            due = rec + timedelta(hours=rnd.choice((8, 24, 72, 120, 240)))
            fate = rnd.random()
            result = closed = None
            status = "processing"
            if fate < 0.012:
                status, closed = "withdrawn", rec + timedelta(hours=rnd.randint(1, 30))
            elif fate < 0.022:
                status, closed = "refused", rec + timedelta(hours=rnd.randint(1, 30))
            else:
                if rnd.random() < late[unit]:
                    result = due + timedelta(hours=rnd.randint(1, 120))
                else:
                    result = rec + (due - rec) * rnd.uniform(0.1, 1.0)
                if result <= NOW:
                    status = "returned"
                else:
                    result = None
            if closed is not None and closed > NOW:
                status, closed = "processing", None
            rows.append({"office_id": 1, "code": f"B-{i:07d}", "applicant_name": "Nguyễn Văn A", "received_at": rec,
                         "original_due_at": due, "due_at": due, "status": status, "is_open": status == "processing",
                         "channel": rnd.choices(("direct", "online", "post"), (60, 36, 4))[0],
                         "lead_unit_id": unit, "current_unit_id": unit, "result_at": result, "closed_at": closed,
                         "field": rnd.choice(FIELDS), "created_at": rec, "updated_at": result or closed or rec,
                         "synced_at": rec + timedelta(days=1)})
            if len(rows) == CHUNK:
                conn.execute(insert(Case.__table__), rows)
                rows = []
        if rows:
            conn.execute(insert(Case.__table__), rows)
    with db.engine.connect() as c:
        c.exec_driver_sql("ANALYZE")
    db.dispose()
    print(f"built {n:,} cases in {time.perf_counter() - t0:.1f} s -> {path}")


def hand_written(start: datetime, end: datetime) -> str:
    """The same counts as ReportService, written by hand over the covering index (the floor to compare to)."""
    a, b = f"'{start:%Y-%m-%d %H:%M:%S.%f}'", f"'{end:%Y-%m-%d %H:%M:%S.%f}'"
    side = "('withdrawn','refused','stopped','waiting_supplement')"
    opn = lambda t: f"(received_at < {t} AND (result_at IS NULL OR result_at >= {t}))"  # noqa: E731
    recv = f"(received_at >= {a} AND received_at < {b})"
    res = f"(result_at >= {a} AND result_at < {b})"
    sums = [opn(a), f"{recv} AND channel = 'online'", f"{recv} AND channel <> 'online'", res,
            f"{res} AND date(result_at) < date(original_due_at)",
            f"{res} AND result_at <= original_due_at AND date(result_at) >= date(original_due_at)",
            f"{res} AND result_at > original_due_at", opn(b), f"{opn(b)} AND original_due_at >= {b}",
            f"{opn(b)} AND original_due_at < {b}", recv, f"{recv} AND {res} AND result_at <= original_due_at"]
    cols = ",\n  ".join(f"SUM(CASE WHEN {s} THEN 1 ELSE 0 END)" for s in sums)
    return (f"SELECT lead_unit_id,\n  {cols}\nFROM case_file WHERE status NOT IN {side} AND received_at < {b} "
            f"AND (result_at IS NULL OR result_at >= {a}) GROUP BY lead_unit_id")


def best(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    path = Path(f"/tmp/tthc_bench_reports_{args.cases}.sqlite3")
    if args.rebuild or not path.exists():
        path.unlink(missing_ok=True)
        build(path, args.cases)
    db = Database(make_url(path))
    services = Services.build(db, FixedClock(NOW))
    admin = services.office.actor_for("admin")
    period = month(2026, 10)
    with db.engine.connect() as c:
        plan = c.exec_driver_sql("EXPLAIN QUERY PLAN " + hand_written(period.start_at, period.end_at)).all()
        print("hand-written plan:", [p[-1] for p in plan])
        sql = hand_written(period.start_at, period.end_at)
        t_sql = best(lambda: c.exec_driver_sql(sql).all())
    report = services.reports.report(admin, period)
    t_svc = best(lambda: services.reports.report(admin, period))
    total = report.total.counts
    print(f"II.06a by unit, {period.text().lower()}, {args.cases:,} cases: {len(report.rows)} lines, "
          f"total {total.total:,}, resolved {total.resolved:,}, late {total.late:,}, identities "
          f"{'ok' if not report.identity_errors() else report.identity_errors()}")
    print(f"  ReportService.report: {t_svc * 1000:.0f} ms   (target ≤ 1000 ms)")
    print(f"  hand-written SQL:     {t_sql * 1000:.0f} ms")
    print(f"  ratio:                {t_svc / t_sql:.2f}×   (target ≤ 1.5×)")
    t_field = best(lambda: services.reports.report(admin, period, "field"), 2)
    print(f"  by field (no covering index for 'field'): {t_field * 1000:.0f} ms")
    demo = Path("/tmp/rep.sqlite3")
    if not demo.exists():
        subprocess.run([sys.executable, "-m", "tthc_desk.cli.main", "--db", str(demo), "--now", "2026-11-20 10:00",
                        "demo", "--cases", "8000"], check=True)
    demo_db = Database(make_url(demo))
    demo_db.migrate(backup_dir=Path(tempfile.gettempdir()) / "tthc_bench_backups")  # one built by older code
    dsv = Services.build(demo_db, FixedClock(NOW))
    leader = dsv.office.actor_for("lanhdao")
    dsv.reports.backlog(leader)  # builds the office calendar once, as the running app already has
    t_dash = best(lambda: dsv.reports.dashboard(leader, month(2026, 10)))
    print(f"dashboard data (demo office, 8,000 cases): {t_dash * 1000:.0f} ms   (target ≤ 1000 ms)")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
