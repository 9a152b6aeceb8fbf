"""GUI benchmark (plain script, prints figures): start to interactive queue vs a bare PySide6 window,
search-as-you-type per keystroke, scrolling the whole queue, memory.

    uv run python tests/benchmarks/bench_gui_start.py [--db /tmp/bench_200k.sqlite3] [--runs 3]

The database (200,000 cases, 10,000 open) is built once: the core's demo generator makes 2,000 cases with full
histories, then their rows are copied in bulk (cases only) and every 20th case is reopened.
Targets: interactive <= 1.5 s and <= 1.5 x bare; <= 50 ms per keystroke; no page fetch stalls (> 100 ms).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-20 10:00"
TOTAL, OPEN_EVERY = 200_000, 20
BARE = r"""
import sys, time
from PySide6.QtCore import QAbstractTableModel, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
class M(QAbstractTableModel):
    def rowCount(self, p=None): return 100
    def columnCount(self, p=None): return 9
    def data(self, i, r=Qt.DisplayRole): return f"{i.row()}:{i.column()}" if r == Qt.DisplayRole else None
def painted():
    print("painted", f"(CPU {time.process_time():.3f} s)", flush=True); app.quit()
class F(QObject):
    def eventFilter(self, o, e):  # (runs before the paint: report once it is done, as the app's page does)
        if e.type() == QEvent.Paint:
            o.removeEventFilter(self); QTimer.singleShot(0, painted)
        return False
app = QApplication(sys.argv[:1]); w = QMainWindow(); t = QTableView(); t.setModel(M()); w.setCentralWidget(t)
f = F(); t.viewport().installEventFilter(f); w.resize(1366, 768); w.show(); app.exec()
"""


def build_database(target: Path) -> None:
    base = target.with_name("bench_base.sqlite3")
    if not base.exists():
        print(f"building demo base {base} (2,000 cases with histories)…", flush=True)
        subprocess.run([sys.executable, "main.py", "--db", str(base), "--now", NOW, "demo", "--cases",
                        "2000"], check=True, cwd=ROOT)
    shutil.copy(base, target)
    con = sqlite3.connect(target)
    cols = [r[1] for r in con.execute("pragma table_info(case_file)")]
    base_count, max_id = con.execute("select count(*), max(id) from case_file").fetchone()
    copies = TOTAL // base_count - 1
    print(f"copying {base_count} cases x {copies} in bulk…", flush=True)
    select = ", ".join({"id": f"id + {{k}} * {max_id}", "code": "code || '-' || {k}", "intake_token": "NULL",
                        "register_number": "register_number + {k} * 100000"}
                       .get(c, c) for c in cols)
    for k in range(1, copies + 1):
        con.execute(f"insert into case_file ({', '.join(cols)}) select {select.format(k=k)} from case_file "
                    f"where id <= {max_id}")
    # reopen every 20th case, with due times spread around now (red, amber, green)
    con.execute(f"update case_file set is_open = 1, status = 'processing', result_at = NULL, returned_at = NULL, "
                f"closed_at = NULL, original_due_at = datetime('{NOW}', ((id % 97) - 30) || ' hours'), "
                f"due_at = datetime('{NOW}', ((id % 97) - 30) || ' hours'), "
                f"warn_at = datetime('{NOW}', ((id % 97) - 38) || ' hours') where id % {OPEN_EVERY} = 0")
    con.commit()
    total, open_ = con.execute("select count(*), sum(is_open) from case_file").fetchone()
    con.close()
    print(f"database ready: {total} cases, {open_} open", flush=True)


def rss_mib(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def time_to_line(cmd: list[str], marker: str, env: dict) -> tuple[float, float, float]:
    """Seconds from spawning `cmd` until a line containing `marker` appears, the RSS then, and the CPU time the
    process reports on that line, "(CPU 0.123 s)", taken by itself at its first paint (steadier than wall time
    on a shared machine: waiting for a core does not count)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    elapsed, rss, cpu = float("nan"), 0.0, float("nan")
    for line in proc.stdout:
        if marker in line:
            elapsed = time.perf_counter() - start
            rss = rss_mib(proc.pid)
            cpu = float(line.split("(CPU ")[1].split()[0]) if "(CPU " in line else float("nan")
            break
    proc.wait(timeout=60)
    return elapsed, rss, cpu


def bench_start(db: Path, runs: int) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    data = tempfile.mkdtemp(prefix="bench-gui-")
    app_cmd = [sys.executable, "main.py", "--db", str(db), "--now", NOW, "--self-test", "--user", "tiepnhan1",
               "--data-dir", data]
    bare_cmd = [sys.executable, "-c", BARE]
    # warm the file cache; the first start on a database records its start-up plan, which the next ones use
    time_to_line(app_cmd, "queue first page painted", env)
    time_to_line(bare_cmd, "painted", env)
    app, bare = [], []
    for _ in range(runs):  # in alternation, so that both see the same spell of this shared machine
        app.append(time_to_line(app_cmd, "queue first page painted", env))
        bare.append(time_to_line(bare_cmd, "painted", env))
    a, b = statistics.median(r[0] for r in app), statistics.median(r[0] for r in bare)
    print(f"start -> first queue page painted: median {a:.2f} s over {runs} runs ({', '.join(f'{r[0]:.2f}' for r in app)})")
    print(f"bare PySide6 window first paint:   median {b:.2f} s ({', '.join(f'{r[0]:.2f}' for r in bare)})")
    pairs = statistics.median(x[0] / y[0] for x, y in zip(app, bare, strict=True))
    print(f"ratio {a / b:.2f} x bare (medians; of the {runs} side-by-side pairs: median {pairs:.2f} x) "
          f"(target <= 1.5 s and <= 1.5 x); app RSS at first paint {app[-1][1]:.0f} MiB, bare {bare[-1][1]:.0f} MiB")
    ca, cb = statistics.median(r[2] for r in app), statistics.median(r[2] for r in bare)
    print(f"CPU time by the first paint (all threads): app median {ca * 1000:.0f} ms, bare {cb * 1000:.0f} ms "
          f"-> {ca / cb:.2f} x")


def bench_in_process(db: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from tthc_desk.cli.context import parse_moment
    from tthc_desk.clock import FixedClock
    from tthc_desk.services import Services
    from tthc_desk.storage.db import Database, make_url
    from ui.app import create_application
    from ui.queue import model as qm
    from ui.queue.view import QueuePage
    from ui.tasks import use_inline_executor

    app = create_application([])
    use_inline_executor(True)
    services = Services.build(Database(make_url(db)), FixedClock(parse_moment(NOW)))
    actor = services.office.actor_for("tiepnhan1")
    page = QueuePage(services, actor)
    page.resize(1366, 700)
    page.show()
    app.processEvents()
    from desk_main import settle_heap

    settle_heap()  # as the app does once its first page is shown
    print(f"queue: {page.model.rowCount()} open cases; counts {dict((str(k), v) for k, v in page.model.counts.items())}")
    per_key = []
    for text in ("nguyen van an", "tran thi", "0520"):
        for n in range(1, len(text) + 1):
            t = time.perf_counter()
            page.model.filter = qm.QueueFilter(text=text[:n])
            page.model.refresh()
            page.table.viewport().repaint()
            per_key.append((time.perf_counter() - t) * 1000)
    print(f"search as you type (query + counts + first page + repaint): median {statistics.median(per_key):.1f} ms, "
          f"max {max(per_key):.1f} ms over {len(per_key)} keystrokes (target <= 50 ms)")
    for label, open_only in (("queue", True), ("search page (all cases)", False)):
        model = qm.QueueModel(services, actor, open_only)
        t = time.perf_counter()
        model.refresh()
        first = time.perf_counter() - t
        pages, t = [], time.perf_counter()
        for row in range(0, model.rowCount(), qm.PAGE_SIZE):
            p = time.perf_counter()
            model.row_at(row)
            pages.append((time.perf_counter() - p) * 1000)
        total = time.perf_counter() - t
        print(f"{label}: {model.rowCount()} ids + first page in {first * 1000:.0f} ms; all {len(pages)} pages in "
              f"{total:.1f} s, slowest page {max(pages):.0f} ms, median {statistics.median(pages):.0f} ms")
    print(f"process memory after scrolling everything: {rss_mib():.0f} MiB RSS")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/bench_200k.sqlite3")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-start", action="store_true")
    args = parser.parse_args()
    db = Path(args.db)
    if not db.exists():
        build_database(db)
    print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if not args.skip_start:
        bench_start(db, args.runs)
    bench_in_process(db)


if __name__ == "__main__":
    main()
