"""How well 8-bit CSV files are read (run by hand, prints figures; not part of the test suite).

    cd /work/main && UV_PYTHON_DOWNLOADS=never uv run python tests/benchmarks/bench_legacy_csv.py [--big]

The shipped catalogue's procedure names and fields (multi-word texts) and their distinct words (single
words), written in Windows-1258, TCVN3 and VNI as old programs write them, each under a header in the same
encoding, read back through `read_cases_file`. Prints, per encoding, how many cells come back right and
whether the header was found; then files pieced together from Windows-1258 and a legacy encoding in several
shares (how many of each part come back right). `--big` also times reading the 50,000-row portal file of
bench_sync_read.py written as a TCVN3 and a VNI CSV (rows rejected, seconds).
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tthc_desk.paths import resource_path  # noqa: E402
from tthc_desk.sync.legacy import encode_tcvn3, encode_vni  # noqa: E402
from tthc_desk.sync.reader import read_cases_file  # noqa: E402

HEADER = ["Số hồ sơ", "Người nộp", "Ngày tiếp nhận"]
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed hats and horns, the tone as a combining byte."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            tones = "".join(m for m in marks if m in _TONES)
            base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in _TONES))
            out += (base + tones).encode("cp1258")
    return out


ENCODE = {
    "cp1258": cp1258,
    "tcvn3": lambda t: encode_tcvn3(t).encode("cp1252"),
    "vni": lambda t: encode_vni(t).encode("cp1252"),
}


def catalogue_texts() -> tuple[list[str], list[str]]:
    """(names and fields of the catalogue, their distinct non-ASCII words), encodable in all three."""
    with resource_path("data", "thu_tuc_cap_xa.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    texts = [unicodedata.normalize("NFC", " ".join(r[k].replace('"', "").replace(";", ",").split()))
             for r in rows for k in ("ten_thu_tuc", "linh_vuc")]  # fmt: skip
    texts = [t for t in texts if _encodable(t)]
    words = sorted({w.strip(",.()") for t in texts for w in t.split() if not w.isascii()})
    return texts, [w for w in words if w]


def _encodable(text: str) -> bool:
    try:
        for encode in ENCODE.values():
            encode(text)
    except UnicodeEncodeError:
        return False
    return True


def read_back(kinds: list[str], texts: list[str], header_kind: str) -> tuple[Counter, Counter, bool]:
    """(right per kind, cells per kind, header found) for a file whose row i holds texts[i] in kinds[i]."""
    lines = [b";".join(ENCODE[header_kind](h) for h in HEADER)]
    lines += [b";".join([f"HS-{i:05d}".encode(), ENCODE[k](t), b"03/03/2025 08:30"]) for i, (t, k) in
              enumerate(zip(texts, kinds, strict=True))]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hs.csv"
        path.write_bytes(b"\r\n".join(lines))
        try:
            parsed = read_cases_file(path)
        except Exception:  # the header was not found: nothing is read
            return Counter(), Counter(kinds), False
    got = {r.code: r.applicant for r in parsed.rows}
    right, total = Counter(), Counter()
    for i, (text, kind) in enumerate(zip(texts, kinds, strict=True)):
        total[kind] += 1
        value = got.get(f"HS-{i:05d}", "")
        # TCVN3 has no toned capitals: a capital toned letter comes back in lower case
        right[kind] += value == text or (kind == "tcvn3" and value.lower() == text.lower())
    return right, total, True


def accuracy() -> None:
    texts, words = catalogue_texts()
    for label, items in (("multi-word", texts), ("single words", words)):
        for kind in ENCODE:
            right, total, found = read_back([kind] * len(items), items, kind)
            print(f"{label:12} {kind:6}: {right[kind]:5}/{total[kind]} right, header found: {found}")
    print("pieced together: Windows-1258 share + legacy (header in Windows-1258)")
    for label, items in (("multi-word", texts), ("single words", words)):
        for legacy in ("tcvn3", "vni"):
            for share in (0.1, 0.2, 0.5, 0.8):
                n = int(len(items) * share)
                kinds = ["cp1258"] * n + [legacy] * (len(items) - n)
                right, total, _found = read_back(kinds, items, "cp1258")
                print(f"{label:12} {share:4.0%} cp1258 + {legacy:5}: cp1258 {right['cp1258']:4}/{total['cp1258']},"
                      f" {legacy} {right[legacy]:4}/{total[legacy]}")


def big() -> None:
    import bench_sync_read as src
    import python_calamine as pc

    src.build_source()
    rows = pc.CalamineWorkbook.from_path(str(src.SOURCE)).get_sheet_by_index(0).to_python()
    for kind, encode in (("tcvn3", encode_tcvn3), ("vni", encode_vni)):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"portal_{kind}.csv"
            with path.open("w", encoding="cp1252", errors="replace", newline="") as fh:
                writer = csv.writer(fh, delimiter=";")
                for row in rows:
                    writer.writerow([encode(c) if isinstance(c, str) else c for c in row])
            started = time.perf_counter()
            parsed = read_cases_file(path)
            took = time.perf_counter() - started
        print(f"50,000-row {kind} CSV: {took:.2f} s, {len(parsed.rows)} rows read, {len(parsed.rejected)} rejected,"
              f" encodings {parsed.encodings}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    accuracy()
    if "--big" in sys.argv:
        big()
