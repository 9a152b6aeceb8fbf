"""Benchmark of the portal sync service (run by hand, prints figures; not part of the test suite).

    cd /work/main && UV_PYTHON_DOWNLOADS=never uv run python tests/benchmarks/bench_sync.py [--repeat 5] [--import-only | --export-only]

Uses the 50,000-row portal export of bench_sync_read.py (cached in /tmp). Each step runs in a fresh process
so its peak RSS is its own, and is repeated; medians are printed, with the load average before and after
(the machine is shared: a load above the CPU count makes every figure slower and noisier).

- import: `SyncService.run_import` (parse, validate, match, bulk write with chained events) into a copy of a
  prepared database (office, units, the 588-procedure catalogue), vs a bare python-calamine parse of the file.
  Targets: <= 2x the bare parse, and < 8 s.
- store_floor: SQLite alone storing what that import stores (its cases and events, copied from prepared rows
  with INSERT ... SELECT, indexes and search index kept up, commit): parse + this is the least any import into
  this schema can take, as nothing can be stored before the parse has given the rows.
- import_window: the same import on a worker thread under a ticking Qt event loop (as the sync page runs
  it); prints the longest gap between ticks. Target: the window never freezes for more than 100 ms.
- export: `SyncService.export_cases` of all 50,000 cases (query, colours, fills) vs a bare xlsxwriter write of
  the same cells (values and per-cell formats: fills, text and date formats), prepared in memory beforehand.
  Target: <= 1.2x. A write of the values alone, without the fills, is printed for reference.
"""

from __future__ import annotations

import json
import os
import shutil
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

CACHE = src.CACHE
TEMPLATE = CACHE / "sync_template.sqlite3"
IMPORTED = CACHE / "sync_imported.sqlite3"
NOW = datetime(2026, 11, 20, 10, 0)


def _services(path: Path):
    from tthc_desk.clock import FixedClock
    from tthc_desk.services import Services
    from tthc_desk.storage.db import Database, make_url

    db = Database(make_url(path))
    db.migrate()
    return Services.build(db, FixedClock(NOW))


def build_template() -> None:
    if TEMPLATE.exists():
        return
    from tthc_desk.paths import resource_path

    part = TEMPLATE.with_suffix(".part")
    part.unlink(missing_ok=True)
    s = _services(part)
    s.office.ensure_office(admin_password="quantri-2025")
    admin = s.office.actor_for("admin")
    s.accounts.save_unit(admin, "UBND xã An Bình", None, "xã")
    s.catalogue.import_file(admin, resource_path("data", "thu_tuc_cap_xa.csv"))
    s.db.dispose()
    part.rename(TEMPLATE)


def _stale(path: Path) -> bool:
    """A kept database written before the newest migration (its rows may not be what the code writes now)."""
    import sqlite3

    from tthc_desk.storage.db import newest_revision_file

    if not path.exists():
        return False
    with sqlite3.connect(path) as con:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0] != newest_revision_file()


def _fresh(name: str) -> Path:
    target = CACHE / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(TEMPLATE, target)
    return target


# ---- steps, each in its own process


def step_calamine() -> dict:
    return src.step_calamine()


def step_import() -> dict:
    s = _services(_fresh("sync_run.sqlite3"))
    admin = s.office.actor_for("admin")
    started = time.perf_counter()
    result = s.sync.run_import(admin, src.SOURCE, create_missing=True)
    took = time.perf_counter() - started
    s.db.dispose()
    return {"work_s": took, **result.counts}


def step_import_window() -> dict:
    """The import on a worker thread (as the sync page runs it) under a Qt event loop that ticks every 5 ms:
    the longest gap between ticks is how long the window could not paint or take a key."""
    import threading

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    s = _services(_fresh("sync_run.sqlite3"))
    admin = s.office.actor_for("admin")
    gaps, last, took = [], [time.perf_counter()], []

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        if took:
            app.quit()

    def work() -> None:
        started = time.perf_counter()
        try:
            s.sync.run_import(admin, src.SOURCE, create_missing=True)
        finally:
            took.append(time.perf_counter() - started)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    worker = threading.Thread(target=work, name="import")
    QTimer.singleShot(50, worker.start)
    app.exec()
    worker.join()
    s.db.dispose()
    return {"work_s": took[0], "max_gap_ms": max(gaps) * 1000, "over_100ms": sum(g > 0.1 for g in gaps)}


def step_store_floor() -> dict:
    """What SQLite alone takes to store the cases and events one import writes: the rows of `IMPORTED` (an
    earlier import of the same file, so the same bytes) copied into a fresh prepared database with
    INSERT ... SELECT from temporary tables, the queue's indexes and the search index kept up as the import
    keeps them, then the commit. No Python per row: the least any import into this schema can spend after
    the parse, since nothing can be stored before the parse has given the rows."""
    target = _fresh("sync_floor.sqlite3")
    s = _services(target)
    s.db.dispose()
    import sqlite3

    con = sqlite3.connect(target, isolation_level=None)
    from tthc_desk.storage.db import SQLITE_PRAGMAS

    for pragma in SQLITE_PRAGMAS:  # as `Database` sets them
        con.execute(f"PRAGMA {pragma}")
    con.execute("ATTACH ? AS done", (str(IMPORTED),))
    for table in ("unit", "procedure"):  # those the import created, not timed
        con.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM done.{table}")
    con.execute("CREATE TEMP TABLE cases AS SELECT * FROM done.case_file ORDER BY id")
    con.execute("CREATE TEMP TABLE events AS SELECT * FROM done.case_event ORDER BY id")
    started = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    trigger = con.execute("SELECT sql FROM sqlite_master WHERE name = 'case_search_ai'").fetchone()[0]
    con.execute("DROP TRIGGER case_search_ai")  # the search index filled once, as the import does
    con.execute("INSERT INTO main.case_file SELECT * FROM temp.cases")
    con.execute("INSERT INTO main.case_event SELECT * FROM temp.events")
    con.execute("INSERT INTO main.case_search (rowid, search_text) SELECT id, search_text FROM temp.cases")
    con.execute(trigger)
    con.execute("COMMIT")
    took = time.perf_counter() - started
    rows = con.execute("SELECT count(*) FROM main.case_file").fetchone()[0]
    con.close()
    return {"work_s": took, "rows": rows}


def step_export() -> dict:
    from tthc_desk.services.queue import QueueFilter

    s = _services(IMPORTED)
    admin = s.office.actor_for("admin")
    started = time.perf_counter()
    n = s.sync.export_cases(admin, CACHE / "export_all.xlsx", QueueFilter(open_only=False))
    return {"work_s": time.perf_counter() - started, "rows": n}


def _export_cells() -> list:
    """(values, colour) of every case as `export_cases` writes them, in its order, computed before any timing."""
    from tthc_desk.services.queue import QueueFilter, QueueService
    from tthc_desk.sync import service_export as ex

    s = _services(IMPORTED)
    admin = s.office.actor_for("admin")
    ids = QueueService(s.db, s.clock, s.calendars).ids(admin, QueueFilter(open_only=False), "urgency", False)
    with s.db.read() as ses:
        return list(ex.case_lines(ses, ids, ex.unit_names(ses, 1), NOW))


def _row_heights(lines: list) -> list:
    """The height the export gives each row (None: the default), worked out beforehand: the file's rows are as
    tall as their wrapped text, and the bare write must write the same file."""
    from tthc_desk.sync.service_export import CASE_WIDTHS
    from tthc_desk.sync.writer import FIELDS, LINE_HEIGHT, wrapped_lines

    widths = [CASE_WIDTHS[f] for f in FIELDS] + [12]
    out = []
    for values, _colour in lines:
        n = max((wrapped_lines(v, w) for v, w in zip(values, widths, strict=False) if isinstance(v, str) and v),
                default=1)
        out.append(LINE_HEIGHT * n if n > 1 else None)
    return out


def step_export_bare() -> dict:
    """The baseline: the same cells as `export_cases` writes, values and per-cell formats alike (a wrapped text
    or date format, the row's fill, blank cells only where filled; the rows as tall as the export makes them),
    prepared in memory beforehand and written with the plainest xlsxwriter loop. A cell's format is part of the
    cell in the file, and xlsxwriter spends about a fifth more on a formatted cell than on a bare one, so leaving
    the fills out would time a different sheet (see step_export_bare_values)."""
    import xlsxwriter

    from tthc_desk.sync.writer import DATETIME_FORMAT, FILL_COLOURS

    lines = _export_cells()
    heights = _row_heights(lines)
    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(CACHE / "export_bare.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet()

    def fmt(fill, **props):
        filled = {"bg_color": FILL_COLOURS[fill], "pattern": 1} if fill else {}
        return book.add_format({"valign": "top", **props, **filled})

    formats = {f: (fmt(f, num_format="@", text_wrap=True), fmt(f, num_format=DATETIME_FORMAT), fmt(f) if f else None)
               for f in {colour for _values, colour in lines}}  # fmt: skip
    for r, ((values, colour), height) in enumerate(zip(lines, heights, strict=True), start=1):
        text, when, blank = formats[colour]
        if height is not None:
            sheet.set_row(r, height)
        for c, v in enumerate(values):
            if isinstance(v, str) and v:
                sheet.write_string(r, c, v, text)
            elif isinstance(v, datetime):
                sheet.write_datetime(r, c, v, when)
            elif blank:
                sheet.write_blank(r, c, None, blank)
    book.close()
    return {"work_s": time.perf_counter() - started, "rows": len(lines)}


def step_export_bare_values() -> dict:
    """For reference only: the values alone (a datetime format, no other formats, no fills), empty text left
    out as the export leaves it out. The gap to step_export_bare is what the fills cost inside xlsxwriter."""
    import xlsxwriter

    lines = _export_cells()
    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(CACHE / "export_bare_values.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet()
    fmt = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for r, (values, _colour) in enumerate(lines, start=1):
        for c, v in enumerate(values):
            if isinstance(v, str) and v:
                sheet.write_string(r, c, v)
            elif isinstance(v, datetime):
                sheet.write_datetime(r, c, v, fmt)
    book.close()
    return {"work_s": time.perf_counter() - started, "rows": len(lines)}


STEPS = {
    f.__name__[5:]: f
    for f in (step_calamine, step_import, step_import_window, step_store_floor, step_export, step_export_bare,
              step_export_bare_values)
}


def run_step(name: str) -> dict:
    started = time.perf_counter()
    result = STEPS[name]()
    result["seconds"] = time.perf_counter() - started
    result.setdefault("work_s", result["seconds"])
    result["peak_mb"] = src.peak_mb()
    return result


def _run(name: str) -> dict:
    out = subprocess.run([sys.executable, __file__, name], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _summary(runs: list[dict]) -> dict:
    med = {k: statistics.median(r[k] for r in runs) for k in ("work_s", "peak_mb")}
    return {**runs[-1], **med, "all": [round(r["work_s"], 2) for r in runs]}


def measure(name: str, repeat: int) -> dict:
    return _summary([_run(name) for _ in range(repeat)])


def measure_rounds(names: list[str], repeat: int) -> dict[str, dict]:
    """`measure` for steps compared with each other: one run of each per round, so that a slow spell of the
    shared machine (the same run can take 7.5 s or 10 s from one minute to the next) falls on all of them
    rather than on whichever step happened to be running."""
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for _ in range(repeat):
        for name in names:
            runs[name].append(_run(name))
    return {name: _summary(r) for name, r in runs.items()}


def main() -> None:
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 5
    load_before = os.getloadavg()
    src.build_source()
    build_template()
    if "--export-only" in sys.argv:
        if not IMPORTED.exists() or _stale(IMPORTED):
            step_import()
            shutil.copyfile(CACHE / "sync_run.sqlite3", IMPORTED)
        return _export_rounds(repeat, load_before)
    if _stale(TEMPLATE):
        TEMPLATE.unlink()
        build_template()
    if not IMPORTED.exists() or _stale(IMPORTED):  # the database the export steps read: one import, kept
        step_import()
        shutil.copyfile(CACHE / "sync_run.sqlite3", IMPORTED)
    print(f"source: {src.SOURCE} ({src.SOURCE.stat().st_size / 1e6:.1f} MB), {repeat} runs per step, medians")
    base = measure("calamine", repeat)
    imp = measure("import", repeat)
    print(f"bare calamine parse : {base['work_s']:6.2f} s  peak {base['peak_mb']:5.0f} MB  runs {base['all']}")
    print(f"run_import (all)    : {imp['work_s']:6.2f} s  peak {imp['peak_mb']:5.0f} MB  runs {imp['all']}"
          f"  (new {imp['new']}, rejected {imp['rejected']})")
    ratio = imp["work_s"] / base["work_s"]
    print(f"  ratio import/bare : {ratio:.2f}x  (target <= 2x: {'ok' if ratio <= 2 else 'MISSED'};"
          f" < 8 s: {'ok' if imp['work_s'] < 8 else 'MISSED'})")
    floor = measure("store_floor", repeat)
    print(f"storage alone       : {floor['work_s']:6.2f} s  runs {floor['all']}  (SQLite storing the same"
          f" {floor['rows']} cases and events from prepared rows, indexes and search index included, commit)")
    print(f"  parse + storage   : {(base['work_s'] + floor['work_s']) / base['work_s']:.2f}x the bare parse: the"
          " least an import into this schema can take, since nothing is stored before the parse is done")
    window = _run("import_window")
    print(f"window during import: longest event-loop gap {window['max_gap_ms']:.0f} ms, gaps over 100 ms:"
          f" {window['over_100ms']} (import on a worker thread: {window['work_s']:.2f} s; target: no freeze > 100 ms)")
    if "--import-only" in sys.argv:
        print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        return
    _export_rounds(repeat, load_before)


def _export_rounds(repeat: int, load_before: tuple[float, float, float]) -> None:
    rounds = measure_rounds(["export_bare_values", "export_bare", "export"], repeat)
    values, bare, ours = rounds["export_bare_values"], rounds["export_bare"], rounds["export"]
    print(f"bare, values only   : {values['work_s']:6.2f} s  peak {values['peak_mb']:5.0f} MB  runs {values['all']}"
          "  (reference: no fills, no text format)")
    print(f"bare xlsxwriter     : {bare['work_s']:6.2f} s  peak {bare['peak_mb']:5.0f} MB  runs {bare['all']}"
          "  (the same cells: values and formats)")
    print(f"export_cases (all)  : {ours['work_s']:6.2f} s  peak {ours['peak_mb']:5.0f} MB  runs {ours['all']}"
          f"  ({ours['rows']} rows; query, colours and fills included)")
    ratio = ours["work_s"] / bare["work_s"]
    per_round = [round(o / b, 2) for o, b in zip(ours["all"], bare["all"], strict=True)]
    print(f"  ratio export/bare : {ratio:.2f}x  (target <= 1.2x: {'ok' if ratio <= 1.2 else 'MISSED'};"
          f" round by round {per_round})")
    load_after = os.getloadavg()
    cpus = os.cpu_count() or 1
    high = max(load_before[0], load_after[0]) > cpus
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} on {cpus} CPUs"
          + (" — HIGH: other work shared the machine; figures are pessimistic and noisy" if high else ""))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        print(json.dumps(run_step(sys.argv[1])))
    else:
        main()
