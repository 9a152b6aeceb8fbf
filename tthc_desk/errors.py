"""Typed errors raised by the core; each carries a Vietnamese message fit to show a user."""

from __future__ import annotations


class DeskError(Exception):
    """An expected error: the message is Vietnamese and is shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(DeskError):
    """Input that cannot be accepted (bad ID number, missing name, ...)."""


class PermissionDenied(DeskError):
    """The acting user's role or office does not allow the operation."""


class NotFound(DeskError):
    """A case, procedure, unit or user that does not exist."""


class InvalidTransition(DeskError):
    """The action is not valid in the case's current status."""


class ConflictError(DeskError):
    """The data changed underneath (another desk, a duplicate save)."""


class ImportFailed(DeskError):
    """A file could not be imported; nothing was written."""


class ExportFailed(DeskError):
    """A file could not be written (the folder refuses, the file is open elsewhere); no half-written file
    is left, and an earlier file of that name is as it was."""


class Cancelled(DeskError):
    """The user pressed Hủy; what the job was writing was rolled back or never written."""
