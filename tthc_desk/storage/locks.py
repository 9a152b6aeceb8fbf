"""The locks PostgreSQL writers take, and the order they take them in.

On SQLite every writing transaction holds the whole database (BEGIN IMMEDIATE): writers take turns and none of
this is needed. On PostgreSQL (READ COMMITTED) they run side by side and lock rows as they write them; two
writers that lock the same rows in different orders deadlock, and one of them loses its work (audit 10: an
import locking the file's cases in the file's order while the upload export marked them in receipt order; an
import taking the audit chain after its rows while a calendar edit took it before them). So a transaction
takes what it needs of these, in this order, before it locks or writes any row:

1. `hold_sync`: the office's sync with the portal. Exclusive for an import and for the upload export (one at a
   time, as on SQLite); shared for a desk registering a case, so that a code is never both registered and
   imported at once (each checks it is free first).
2. `hold_audit`: the office's audit chain (`ledger.add_audit`), for every transaction that writes to it: a
   calendar edit moving open cases' due dates, a unit or user saved, the catalogue, an import.

Both are transaction-scoped advisory locks: released at commit or rollback, taken again at no cost.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

SYNC_LOCK = 0x7474_6863_0001  # "tthc" + 1
AUDIT_LOCK = 7310001


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def hold_sync(session: Session, shared: bool = False) -> None:
    """Take the sync lock (1.) for the rest of the transaction."""
    if _postgresql(session):
        fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        session.execute(text(f"SELECT {fn}(:key)"), {"key": SYNC_LOCK})


def hold_audit(session: Session) -> None:
    """Take the audit chain's lock (2.) for the rest of the transaction."""
    if _postgresql(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK})
