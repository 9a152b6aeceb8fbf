"""Where things live: bundled resources, the user's data folder, logs (one place, frozen-app aware)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "TTHCDesk"
APP_AUTHOR = "TTHCDesk"


def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """A bundled resource file: `resource_path("data", "thu_tuc_cap_xa.csv")`."""
    return _root().joinpath("resources", *parts)


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder holding the database, backups and exports (`--data-dir` or TTHC_DESK_DATA_DIR override)."""
    chosen = override or os.environ.get("TTHC_DESK_DATA_DIR")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir(data: Path | None = None) -> Path:
    path = (data or data_dir()) / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path(data: Path | None = None) -> Path:
    return (data or data_dir()) / "tthc_desk.sqlite3"
