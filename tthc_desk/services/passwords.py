"""Argon2id password hashes (no database imports: the start-up login checks a password with them)."""

from __future__ import annotations

_HASHER = None


def _hasher():
    """argon2id with the library's recommended parameters (imported on first use, not at start-up)."""
    global _HASHER
    if _HASHER is None:
        from argon2 import PasswordHasher

        _HASHER = PasswordHasher()
    return _HASHER


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches the stored hash (a malformed hash never matches)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
