"""The core services. `Services` (the bundle the composition root builds) is imported on first use, so that
the SQLAlchemy-free modules of this package (`actor`, `rights`, `queue_rows`, `passwords`) load without the
database layer: the window paints its login and its first queue page from them while SQLAlchemy loads."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tthc_desk.services.bundle import Services

__all__ = ["Services"]


def __getattr__(name: str):
    if name == "Services":
        from tthc_desk.services.bundle import Services

        return Services
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
