"""Logging for the desktop app: a rotating UTF-8 file in the log folder, set up before any window exists."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

LOG_FILE = "tthc_desk.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
MAX_BYTES, BACKUPS = 1_048_576, 5


class SizedFileHandler(logging.FileHandler):
    """The log file, renamed to .1 (… .5, the oldest dropped) once it holds `max_bytes`: what the standard
    RotatingFileHandler does, without importing logging.handlers, which brings socket, pickle and queue
    along (10 ms of every start)."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        self.max_bytes, self.backups = max_bytes, backups
        if path.exists() and path.stat().st_size >= max_bytes:
            self._shift(path)
        super().__init__(path, encoding="utf-8")

    def _shift(self, path: Path) -> None:
        for n in range(self.backups - 1, 0, -1):
            older = path.with_name(f"{path.name}.{n}")
            if older.exists():
                os.replace(older, path.with_name(f"{path.name}.{n + 1}"))
        os.replace(path, path.with_name(f"{path.name}.1"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() >= self.max_bytes:
                self.close()  # the stream reopens on the next emit, on a new file
                self._shift(Path(self.baseFilename))
        except OSError:
            pass  # another process holds the file (Windows): keep writing to this one
        super().emit(record)


def setup_logging(folder: Path, level: int = logging.INFO, console: bool = False) -> Path:
    """Send every log record to `folder/tthc_desk.log` (1 MiB x 5 files, UTF-8); return the file's path.

    A windowed .exe has no console, so the file is the only trace of a crash on a user's PC."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_tthc_desk", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = SizedFileHandler(path)
    handlers: list[logging.Handler] = [file_handler]
    if console and sys.stderr is not None:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
        handler._tthc_desk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    return path


def log_unhandled(exc_type, exc, tb) -> None:
    """Record an exception nobody caught (the GUI hook calls this before showing the error dialog)."""
    logging.getLogger("tthc_desk").critical("unhandled exception", exc_info=(exc_type, exc, tb))
