"""The services while another thread is still building them (importing SQLAlchemy, opening and migrating the
database): the window is built and painted meanwhile, and whatever asks for a service waits for it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tthc_desk.services.bundle import Services

LOADING_SWITCH_INTERVAL = 0.0002  # seconds (Python's default: 0.005)


class ServicesUnavailable(Exception):
    """Raised to whatever asks for a service when the build failed: the start reports the build's own error
    (`PendingServices.result`) once and ends the program, so the window need not report this again."""


class PendingServices:
    """Stands in for `Services`: an attribute (`.queue`, `.office`, …) waits until the services are built, then
    is theirs; after a failed build it raises `ServicesUnavailable` (from the build's error, which `result`
    raises as it is). `ready` says whether asking would wait."""

    def __init__(self, build: Callable[[], Services], name: str = "services", start: bool = True) -> None:
        self._future: Future = Future()
        self._thread = threading.Thread(target=self._run, args=(build,), name=name, daemon=True)
        self._started = False
        self._lock = threading.Lock()
        if start:
            self.start()

    def start(self) -> None:
        """Begin building (once; asking for a service starts it too). Loading SQLAlchemy is Python work that
        holds the interpreter lock: begun while the window paints its first page, it slows that page down
        about as much as it would take itself, so a start that can paint without it begins it afterwards."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self._thread.start()

    def _run(self, build: Callable[[], Services]) -> None:
        # Importing SQLAlchemy is Python work that keeps the interpreter lock; the window's thread, asking for
        # it at each call into Python (every painted cell), would wait up to the switch interval (5 ms) each
        # time: a repaint of the queue took 130-160 ms instead of 20 while the services loaded. A short
        # interval while they load keeps the window responsive.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(LOADING_SWITCH_INTERVAL)
        try:
            self._future.set_result(build())
        except BaseException as exc:  # noqa: BLE001 - raised again to whoever asks for a service
            self._future.set_exception(exc)
        finally:
            sys.setswitchinterval(interval)

    @property
    def started(self) -> bool:
        return self._started

    @property
    def ready(self) -> bool:
        return self._future.done()

    def result(self, timeout: float | None = None) -> Services:
        self.start()
        return self._future.result(timeout)

    def error(self) -> BaseException | None:
        return self._future.exception() if self._future.done() else None

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            services = self.result()
        except Exception as exc:
            raise ServicesUnavailable(f"services not built: {exc}") from exc
        return getattr(services, name)
