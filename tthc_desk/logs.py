"""Logging for the desktop app: a rotating UTF-8 file in the log folder, set up before any window exists."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_FILE = "tthc_desk.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"


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
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_048_576, backupCount=5, encoding="utf-8")
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
