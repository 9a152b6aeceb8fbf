"""Where things live: bundled resources, the user's data folder, logs (one place, frozen-app aware)."""

from __future__ import annotations

import importlib.util
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


def bundled_catalogue() -> Path:
    """The national commune-level procedure catalogue shipped with the program (588 procedures)."""
    return resource_path("data", "thu_tuc_cap_xa.csv")


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


def cache_dir() -> Path:
    """Rebuildable speed-ups (the calendar's holiday tables, start-up plans): TTHC_DESK_CACHE_DIR or the
    user's cache folder. Not created here: a writer creates it, a reader finding nothing does without."""
    return Path(os.environ.get("TTHC_DESK_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def package_version(distribution: str, module: str | None = None) -> str | None:
    """An installed distribution's version, from its .dist-info folder beside the module (1 ms) rather than
    `importlib.metadata.version`, which walks every distribution on the path (14 ms); the metadata lookup
    stays as the fallback for any other layout. Finding the module does not import it."""
    spec = importlib.util.find_spec(module or distribution)
    if spec is not None and spec.origin:
        base = Path(spec.origin).parent.parent
        found = [p for p in base.glob("*.dist-info") if p.name.lower().startswith(distribution.lower() + "-")]
        if len(found) == 1:
            return found[0].name[len(distribution) + 1:].removesuffix(".dist-info")
    from importlib import metadata  # 30 ms to import: only for the layouts the folder lookup does not know

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
