"""Benchmark of the portal-file layer (run by hand, prints figures; not part of the test suite).

    cd /work/main && UV_PYTHON_DOWNLOADS=never uv run python tests/benchmarks/bench_sync_read.py

Builds a 50,000-row x 15-column export once (cached in /tmp), then times, each in a fresh process so
that peak RSS is that step's own: bare python-calamine parse vs `read_cases_file`, and `write_cases`
vs a bare xlsxwriter write of the same cells. Targets: read <= ~1.5x bare calamine, export <= 1.2x bare.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ROWS = 50_000
CACHE = Path("/tmp/tthc_bench_sync")
SOURCE = CACHE / f"portal_{ROWS}.xlsx"
STATUSES = [
    "Mới tiếp nhận",
    "Đang xử lý",
    "Đã có kết quả",
    "Đã trả kết quả",
    "Chờ bổ sung",
    "Đang giải quyết",
]
CHANNELS = ["Trực tiếp", "Trực tuyến", "Bưu chính"]
NAMES = ["Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Thị Hường", "Đỗ Minh Đức"]


def _source_rows():
    base = datetime(2025, 1, 2, 7, 30)
    for i in range(ROWS):
        received = base + timedelta(minutes=17 * i)
        text_date = i % 4 == 0  # a quarter of the dates typed as text, as hand-edited files have
        yield [
            f"000.00.12.H13-{received:%y%m%d}-{i:05d}", f"{NAMES[i % 5]} {i}", f"0{79_000_000_000 + i:011d}",
            f"09{i:08d}", f"Số {i % 300}, thôn {i % 12}, xã An Bình", "1.000010" if i % 2 else "2.002621.H13",
            "Đăng ký khai sinh\nvà cấp bản sao trích lục", "Hộ tịch", "UBND xã An Bình", CHANNELS[i % 3],
            STATUSES[i % 6], received.strftime("%d/%m/%Y %H:%M") if text_date else received,
            received + timedelta(days=3), (received + timedelta(days=2)) if i % 6 in (2, 3) else None,
            (received + timedelta(days=3)) if i % 6 == 3 else None,
        ]  # fmt: skip (a result date only on the finished statuses: an open one beside it is refused)


HEADERS = ["Mã hồ sơ", "Chủ hồ sơ", "Số định danh", "Điện thoại", "Địa chỉ", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực",
           "Đơn vị", "Kênh nộp", "Trạng thái", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả"]  # fmt: skip


def build_source() -> Path:
    if SOURCE.exists():
        return SOURCE
    from tthc_desk.sync.writer import write_table

    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = SOURCE.with_suffix(".part.xlsx")
    write_table(tmp, ["DANH SÁCH HỒ SƠ TIẾP NHẬN"], HEADERS, _source_rows())
    tmp.rename(SOURCE)
    return SOURCE


# ---- steps, each run in its own process


def step_calamine() -> dict:
    import python_calamine as pc

    with pc.CalamineWorkbook.from_path(str(SOURCE)) as book:
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    return {"rows": len(rows)}


def step_read() -> dict:
    from tthc_desk.sync.reader import read_cases_file

    parsed = read_cases_file(SOURCE)
    return {"rows": len(parsed.rows), "rejected": len(parsed.rejected)}


def step_openpyxl_fonts() -> dict:
    """What reading fonts with openpyxl (read-only) would cost: the path we avoid."""
    import openpyxl

    wb = openpyxl.load_workbook(SOURCE, read_only=True)
    n = sum(1 for row in wb.active.iter_rows() for cell in row if getattr(cell, "font", None) is not None)
    return {"cells": n}


def _cases():
    from tthc_desk.sync.reader import read_cases_file

    return read_cases_file(SOURCE).rows


def step_write_cases() -> dict:
    from tthc_desk.sync.writer import write_cases

    rows = _cases()
    started = time.perf_counter()
    write_cases(
        CACHE / "export.xlsx",
        rows,
        fills=(("red", "amber", "green", "grey")[i % 4] for i in range(len(rows))),
    )
    return {"write_s": time.perf_counter() - started}


def step_write_bare() -> dict:
    import xlsxwriter

    from tthc_desk.sync.writer import case_values

    rows = [case_values(r) for r in _cases()]
    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(CACHE / "bare.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet()
    fmt = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            if isinstance(v, str):
                sheet.write_string(r, c, v)
            elif isinstance(v, datetime):
                sheet.write_datetime(r, c, v, fmt)
    book.close()
    return {"write_s": time.perf_counter() - started}


STEPS = {
    f.__name__[5:]: f
    for f in (step_calamine, step_read, step_openpyxl_fonts, step_write_cases, step_write_bare)
}


def run_step(name: str) -> dict:
    started = time.perf_counter()
    result = STEPS[name]()
    result["seconds"] = time.perf_counter() - started
    result["peak_mb"] = peak_mb()
    return result


def peak_mb() -> float:
    """This process's peak RSS. Linux keeps ru_maxrss across execve, so a step spawned by a big parent would
    report the parent's size; /proc's VmHWM starts again with the new program."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, repeat: int = 3) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, name], check=True, capture_output=True, text=True
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r.get("write_s", r["seconds"]))
    return best


def main() -> None:
    started = time.perf_counter()
    build_source()
    print(
        f"source: {SOURCE} ({SOURCE.stat().st_size / 1e6:.1f} MB, built/cached in {time.perf_counter() - started:.1f} s)"
    )
    base = measure("calamine")
    ours = measure("read")
    print(
        f"bare calamine parse     : {base['seconds']:6.2f} s  peak {base['peak_mb']:6.0f} MB  ({base['rows']} rows)"
    )
    print(f"read_cases_file         : {ours['seconds']:6.2f} s  peak {ours['peak_mb']:6.0f} MB  "
          f"({ours['rows']} parsed, {ours['rejected']} rejected)")  # fmt: skip
    print(f"  ratio read/bare       : {ours['seconds'] / base['seconds']:.2f}x  (target <= ~1.5x)")
    if "--openpyxl" in sys.argv:
        opx = measure("openpyxl_fonts", repeat=1)
        print(
            f"openpyxl read-only fonts: {opx['seconds']:6.2f} s  peak {opx['peak_mb']:6.0f} MB  (the path we avoid)"
        )
    bare_w = measure("write_bare")
    ours_w = measure("write_cases")
    print(
        f"bare xlsxwriter write   : {bare_w['write_s']:6.2f} s  peak {bare_w['peak_mb']:6.0f} MB (process, incl. read)"
    )
    print(
        f"write_cases export      : {ours_w['write_s']:6.2f} s  peak {ours_w['peak_mb']:6.0f} MB (process, incl. read)"
    )
    print(f"  ratio export/bare     : {ours_w['write_s'] / bare_w['write_s']:.2f}x  (target <= 1.2x)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        print(json.dumps(run_step(sys.argv[1])))
    else:
        main()
