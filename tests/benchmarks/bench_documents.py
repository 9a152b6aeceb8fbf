"""Benchmark the documents package by hand: `uv run python tests/benchmarks/bench_documents.py [rows]`.

Prints receipt time after the first (target ≤ 100 ms), the 10,000-row register time (target ≤ 10 s) and
peak memory (tracemalloc peak of Python allocations, and the process's max RSS).
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tthc_desk.documents import (  # noqa: E402
    CaseDoc,
    Letterhead,
    PaperLine,
    RegisterRow,
    render_receipt,
    render_register,
)

LETTERHEAD = Letterhead(
    parent_lines=("ỦY BAN NHÂN DÂN", "HUYỆN TÂY SƠN"),
    issuing_body="BỘ PHẬN MỘT CỬA",
    place="Tây Sơn",
    desk_name="Bộ phận Một cửa huyện Tây Sơn",
)
CASE = CaseDoc(
    code="000.00.17.H10-250203-0001",
    applicant_name="Nguyễn Thị Ánh Tuyết",
    applicant_address="Thôn Kiên Long, xã Bình Tân, tỉnh Gia Lai",
    applicant_phone="0905123456",
    procedure_code="1.001193",
    procedure_name="Đăng ký khai sinh",
    time_allowed="3 ngày làm việc",
    received_at=datetime(2025, 2, 3, 14, 30),
    due_at=datetime(2025, 2, 6, 14, 30),
    papers=(
        PaperLine(name="Tờ khai đăng ký khai sinh", originals=1),
        PaperLine(name="Giấy chứng sinh", originals=1),
    ),
    receiving_officer="Trần Văn Bình",
    register_book="01",
    register_number="125",
)


def register_rows(n: int) -> list[RegisterRow]:
    start = datetime(2025, 1, 2, 7, 30)
    return [
        RegisterRow(
            code=f"000.00.17.H10-{start + timedelta(minutes=11 * i):%y%m%d}-{i % 10000:04d}",
            procedure_name="Đăng ký khai sinh" if i % 3 else "Cấp bản sao trích lục hộ tịch",
            applicant_name=f"Nguyễn Thị Ánh Tuyết {i}",
            applicant_address=f"Thôn Kiên Long {i}, xã Bình Tân, tỉnh Gia Lai",
            applicant_phone="0905123456",
            lead_unit="Phòng Tư pháp",
            received_at=start + timedelta(minutes=11 * i),
            due_at=start + timedelta(days=3, minutes=11 * i),
            transferred_at=start + timedelta(minutes=11 * i + 60),
        )
        for i in range(n)
    ]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    t0 = time.perf_counter()
    render_receipt(CASE, LETTERHEAD)
    first = time.perf_counter() - t0
    times = []
    for _ in range(20):
        t = time.perf_counter()
        render_receipt(CASE, LETTERHEAD, copies=2)
        times.append(time.perf_counter() - t)
    times.sort()
    print(
        f"receipt: first {first * 1000:.0f} ms (fonts), then median {times[10] * 1000:.1f} ms, "
        f"max {times[-1] * 1000:.1f} ms (2 copies; target ≤ 100 ms)"
    )

    rows = register_rows(n)
    tracemalloc.start()
    t = time.perf_counter()
    pdf = render_register(rows, LETTERHEAD, "Năm 2025")
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    t = time.perf_counter()
    render_register(rows, LETTERHEAD, "Năm 2025")
    untraced = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"register {n} rows: {untraced:.2f} s (target ≤ 10 s; {elapsed:.2f} s under tracemalloc), "
        f"{len(pdf) / 1e6:.1f} MB PDF, pages ≈ {pdf.count(b'/Type /Page') - pdf.count(b'/Type /Pages')}"
    )
    print(f"peak memory: tracemalloc {peak / 1e6:.0f} MB, max RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
