"""The log file keeps at most six generations of about 1 MiB each (the current one and .1 … .5)."""

from __future__ import annotations

import logging

from tthc_desk.logs import SizedFileHandler


def test_the_log_is_renamed_when_full_and_the_oldest_generation_is_dropped(tmp_path):
    path = tmp_path / "tthc_desk.log"
    handler = SizedFileHandler(path, max_bytes=1000, backups=3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for n in range(60):  # 60 x 101 bytes: six files' worth
        handler.emit(logging.makeLogRecord({"msg": f"{n:03d} " + "x" * 96}))
    handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["tthc_desk.log", "tthc_desk.log.1", "tthc_desk.log.2", "tthc_desk.log.3"]
    assert all(p.stat().st_size <= 1000 + 101 for p in tmp_path.iterdir())
    assert path.read_text(encoding="utf-8").splitlines()[-1].startswith("059 ")  # the newest record last
    assert (tmp_path / "tthc_desk.log.3").read_text(encoding="utf-8").startswith("020 ")  # 000-019 dropped


def test_a_full_log_left_by_the_last_run_is_set_aside_at_start(tmp_path):
    path = tmp_path / "tthc_desk.log"
    path.write_text("y" * 2000, encoding="utf-8")
    handler = SizedFileHandler(path, max_bytes=1000)
    handler.emit(logging.makeLogRecord({"msg": "started"}))
    handler.close()
    assert (tmp_path / "tthc_desk.log.1").stat().st_size == 2000
    assert path.read_text(encoding="utf-8").strip() == "started"
