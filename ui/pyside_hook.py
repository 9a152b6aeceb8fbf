"""Turning off PySide6's per-import source scan (a start-up cost and a crash on worker threads).

Importing PySide6 replaces Python's `__import__`: from then on every module imported has its whole source
read by `inspect.getsource` (shibokensupport/feature.py, `_mod_uses_pyside`) to learn whether it mentions
"PySide6" — which only matters to modules that write `from __feature__ import snake_case`, and this app
never does. Two costs follow: every later import reads its source file again (hundreds of modules at
start-up: SQLAlchemy, the services), and when the import happens on a worker thread while the GUI thread
is inside Qt, the scan has crashed the process (a segfault in 2 of 10 starts here when the queue's first
load imported a module on the pool; the same is reported publicly, e.g. pyzo/pyzo#851, progh2/kamook#46).

Every module is answered "does not use PySide", so PySide files it under "ignore this module in feature
switching" — with no feature ever selected, the same behaviour as before, without the scan.
"""

from __future__ import annotations

import sys


def _no_scan(_module) -> bool:
    return False


def quiet_feature_hook() -> bool:
    """Apply the above once PySide6 is imported; False when this PySide6 has no such scan (nothing to do)."""
    import PySide6.QtCore  # noqa: F401  (installs the import hook and its support module)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _no_scan
    return True
