"""Benchmark of the portal import on PostgreSQL (run by hand, prints figures; not part of the test suite).

    cd /work/main && UV_PYTHON_DOWNLOADS=never uv run --extra postgres python tests/benchmarks/bench_sync_pg.py \
        postgresql+psycopg://postgres@127.0.0.1:5432/postgres [--repeat 3] [--new-only]

The URL names the server and a database to connect to for CREATE DATABASE; the benchmark makes
`tthc_bench_pg_template` (migrated; office, unit, the 588-procedure catalogue) once and, for each run,
`tthc_bench_pg_run` copied from it, dropped at the end. Each run is a fresh process; the dry run
(`plan_import`: read, match) and the run (`run_import` of that plan: the write, commit included) are timed
apart, as the write is where the backends differ. Medians are printed.

- new: the 50,000-row portal file of bench_sync.py (bench_sync_read.py builds it, cached in /tmp), imported
  as new cases. SQLite's figure for it comes from bench_sync.py (`run_import` of the path: both steps).
- update: that file imported first (not timed), then at once, on the same connections, the same cases in a
  later file: two thirds of them now have their result (33,334 updates, 16,666 unchanged). The next file
  right after a first big import is where a plan the server cached while the table was empty would show.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import bench_sync_read as src  # noqa: E402

NOW = datetime(2026, 11, 20, 10, 0)
TEMPLATE, RUN = "tthc_bench_pg_template", "tthc_bench_pg_run"


def _url(server: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=database).render_as_string(hide_password=False)


def _admin(server: str, *statements: str) -> list[tuple]:
    """Run statements outside a transaction (CREATE/DROP DATABASE) on the server's own database."""
    import psycopg

    url = _url(server, "postgres").replace("postgresql+psycopg://", "postgresql://")
    rows: list[tuple] = []
    with psycopg.connect(url, autocommit=True) as con:
        for sql in statements:
            cur = con.execute(sql)
            if cur.description:
                rows += cur.fetchall()
    return rows


def _services(url: str):
    from tthc_desk.clock import FixedClock
    from tthc_desk.services import Services
    from tthc_desk.storage.db import Database

    db = Database(url)
    db.migrate()
    return Services.build(db, FixedClock(NOW))


def build_template(server: str) -> None:
    """The prepared database (as bench_sync.build_template), made once and kept on the server."""
    from tthc_desk.paths import resource_path
    from tthc_desk.storage.db import newest_revision_file

    if _admin(server, f"SELECT 1 FROM pg_database WHERE datname = '{TEMPLATE}'"):
        s = _services(_url(server, TEMPLATE))  # an older template is brought to the newest revision
        stamped = s.db.stamped_revision()
        s.db.dispose()
        if stamped == newest_revision_file():
            return
    _admin(server, f"DROP DATABASE IF EXISTS {TEMPLATE}", f"CREATE DATABASE {TEMPLATE}")
    s = _services(_url(server, TEMPLATE))
    s.office.ensure_office(admin_password="quantri-2025")
    admin = s.office.actor_for("admin")
    s.accounts.save_unit(admin, "UBND xã An Bình", None, "xã")
    s.catalogue.import_file(admin, resource_path("data", "thu_tuc_cap_xa.csv"))
    s.db.dispose()


LATER = src.CACHE / f"portal_{src.ROWS}_later.xlsx"


def build_later() -> Path:
    """The source file as the portal shows it later: the cases still open in it (all but "Đã có kết quả"
    and "Đã trả kết quả") now have their result, two days after receipt."""
    if LATER.exists():
        return LATER
    from datetime import timedelta

    from tthc_desk.sync.writer import write_table

    def rows():
        base = datetime(2025, 1, 2, 7, 30)
        for i, row in enumerate(src._source_rows()):
            if i % 6 not in (2, 3):
                row[10], row[13] = "Đã có kết quả", base + timedelta(minutes=17 * i, days=2)
            yield row

    part = LATER.with_suffix(".part.xlsx")
    write_table(part, ["DANH SÁCH HỒ SƠ TIẾP NHẬN"], src.HEADERS, rows())
    part.rename(LATER)
    return LATER


def step_import(server: str, kind: str) -> dict:
    _admin(server, f"DROP DATABASE IF EXISTS {RUN}", f"CREATE DATABASE {RUN} TEMPLATE {TEMPLATE}")
    s = _services(_url(server, RUN))
    admin = s.office.actor_for("admin")
    path = src.SOURCE
    if kind == "update":
        s.sync.run_import(admin, src.SOURCE, create_missing=True)
        path = LATER
    started = time.perf_counter()
    plan = s.sync.plan_import(admin, path, create_missing=True)
    planned = time.perf_counter()
    result = s.sync.run_import(admin, plan)
    done = time.perf_counter()
    s.db.dispose()
    _admin(server, f"DROP DATABASE {RUN}")
    return {"plan_s": planned - started, "run_s": done - planned, "total_s": done - started,
            "peak_mb": src.peak_mb(), **result.counts}  # fmt: skip


def measure(server: str, kind: str, repeat: int) -> None:
    runs = []
    for _ in range(repeat):
        step = [sys.executable, __file__, "--step", kind, server]
        out = subprocess.run(step, check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    med = {k: statistics.median(r[k] for r in runs) for k in ("plan_s", "run_s", "total_s", "peak_mb")}
    last = runs[-1]
    print(f"{kind}: {repeat} runs, medians (new {last['new']}, updated {last['updated']}, unchanged"
          f" {last['unchanged']}, rejected {last['rejected']})")
    print(f"  dry run (plan_import)   : {med['plan_s']:6.2f} s  runs {[round(r['plan_s'], 2) for r in runs]}")
    print(f"  run (run_import of plan): {med['run_s']:6.2f} s  runs {[round(r['run_s'], 2) for r in runs]}")
    print(f"  both                    : {med['total_s']:6.2f} s  peak {med['peak_mb']:.0f} MB"
          + (f"  (target < 8 s: {'ok' if med['total_s'] < 8 else 'MISSED'})" if kind == "new" else ""))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    server = args[0] if args else os.environ.get("TTHC_TEST_PG_URL", "")
    if not server.startswith("postgresql"):
        sys.exit("usage: bench_sync_pg.py POSTGRESQL_URL [--repeat N] [--new-only]  (or TTHC_TEST_PG_URL)")
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    load_before = os.getloadavg()
    src.build_source()
    build_later()
    build_template(server)
    print(f"source: {src.SOURCE} ({src.SOURCE.stat().st_size / 1e6:.1f} MB)")
    for kind in ("new",) if "--new-only" in sys.argv else ("new", "update"):
        measure(server, kind, repeat)
    load_after = os.getloadavg()[0]
    print(f"load average before {load_before[0]:.2f}, after {load_after:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    if "--step" in sys.argv:
        at = sys.argv.index("--step")
        print(json.dumps(step_import(sys.argv[at + 2], sys.argv[at + 1])))
    else:
        main()
