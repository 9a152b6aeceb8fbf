"""The core never imports Qt (STYLE §1): every tthc_desk module imports in a process without PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import importlib, pkgutil, sys
import tthc_desk
names = [m.name for m in pkgutil.walk_packages(tthc_desk.__path__, "tthc_desk.")]
for name in names:
    importlib.import_module(name)
from tthc_desk.cli.main import build_parser
build_parser()  # also imports the optional command groups
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
print(len(names), qt)
assert not qt, qt
"""


def test_core_imports_without_qt() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    count = int(done.stdout.split()[0])
    assert count > 40  # the walk really found the core's modules
