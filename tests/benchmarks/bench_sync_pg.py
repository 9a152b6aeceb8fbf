"""Benchmark of the portal import on PostgreSQL (run by hand, prints figures; not part of the test suite).

    cd /work/main && UV_PYTHON_DOWNLOADS=never uv run --extra postgres \
        python tests/benchmarks/bench_sync_pg.py postgresql+psycopg://postgres@127.0.0.1:5432/postgres [--repeat 3]

The same 50,000-row portal file as bench_sync.py (bench_sync_read.py builds it, cached in /tmp), imported as
new cases into a fresh database on the given server. The URL names the server and a database to connect to
for CREATE DATABASE; the benchmark makes `tthc_bench_pg_template` (migrated; office, unit, the 588-procedure
catalogue) once and, for each run, `tthc_bench_pg_run` copied from it, dropped at the end. Each run is a fresh
process; the dry run (`plan_import`: read, match) and the run (`run_import` of that plan: the write, commit
included) are timed apart, as the write is where the backends differ. Medians are printed.

SQLite's figure for the same file comes from bench_sync.py (`run_import` of the path: both steps together).
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


def step_import(server: str) -> dict:
    _admin(server, f"DROP DATABASE IF EXISTS {RUN}", f"CREATE DATABASE {RUN} TEMPLATE {TEMPLATE}")
    s = _services(_url(server, RUN))
    admin = s.office.actor_for("admin")
    started = time.perf_counter()
    plan = s.sync.plan_import(admin, src.SOURCE, create_missing=True)
    planned = time.perf_counter()
    result = s.sync.run_import(admin, plan)
    done = time.perf_counter()
    s.db.dispose()
    _admin(server, f"DROP DATABASE {RUN}")
    return {"plan_s": planned - started, "run_s": done - planned, "total_s": done - started,
            "peak_mb": src.peak_mb(), **result.counts}  # fmt: skip


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    server = args[0] if args else os.environ.get("TTHC_TEST_PG_URL", "")
    if not server.startswith("postgresql"):
        sys.exit("usage: bench_sync_pg.py POSTGRESQL_URL [--repeat N]  (or TTHC_TEST_PG_URL)")
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    load_before = os.getloadavg()
    src.build_source()
    build_template(server)
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--step", server], check=True, capture_output=True,
                             text=True).stdout  # fmt: skip
        runs.append(json.loads(out.strip().splitlines()[-1]))
    med = {k: statistics.median(r[k] for r in runs) for k in ("plan_s", "run_s", "total_s", "peak_mb")}
    last = runs[-1]
    print(f"source: {src.SOURCE} ({src.SOURCE.stat().st_size / 1e6:.1f} MB), {repeat} runs, medians")
    print(f"dry run (plan_import)   : {med['plan_s']:6.2f} s  runs {[round(r['plan_s'], 2) for r in runs]}")
    print(f"run (run_import of plan): {med['run_s']:6.2f} s  runs {[round(r['run_s'], 2) for r in runs]}"
          f"  (new {last['new']}, rejected {last['rejected']})")
    print(f"both                    : {med['total_s']:6.2f} s  peak {med['peak_mb']:.0f} MB"
          f"  (target < 8 s: {'ok' if med['total_s'] < 8 else 'MISSED'})")
    load_after = os.getloadavg()[0]
    print(f"load average before {load_before[0]:.2f}, after {load_after:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    if "--step" in sys.argv:
        print(json.dumps(step_import(sys.argv[sys.argv.index("--step") + 1])))
    else:
        main()
