"""Append-only history: case events and audit entries, each chained to the previous by SHA-256."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tthc_desk.domain import EventKind
from tthc_desk.storage.locks import hold_audit
from tthc_desk.storage.models import AuditEntry, Case, CaseEvent


def _digest(prev: str, payload: dict) -> str:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((prev + "\n" + body).encode("utf-8")).hexdigest()


def event_payload(ev: CaseEvent) -> dict:
    return {
        "case_id": ev.case_id,
        "seq": ev.seq,
        "at": ev.at.isoformat(),
        "user_id": ev.user_id,
        "unit_id": ev.unit_id,
        "kind": ev.kind,
        "data": ev.data,
    }


def add_event(
    session: Session,
    case: Case,
    kind: EventKind,
    at: datetime,
    user_id: int | None,
    unit_id: int | None,
    data: dict | None = None,
) -> CaseEvent:
    """Append one event to a case's history (inside the caller's transaction)."""
    last = session.execute(
        select(CaseEvent.seq, CaseEvent.hash).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, "")
    ev = CaseEvent(case_id=case.id, seq=seq, at=at, user_id=user_id, unit_id=unit_id, kind=str(kind), data=data or {})
    ev.prev_hash = prev
    ev.hash = _digest(prev, event_payload(ev))
    session.add(ev)
    return ev


def add_audit(session: Session, at: datetime, user_id: int | None, action: str, entity: str, entity_id: str, data: dict) -> None:
    hold_audit(session)  # one chain for the whole office: writers take turns so two entries never share a predecessor
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    prev = last or ""
    entry = AuditEntry(at=at, user_id=user_id, action=action, entity=entity, entity_id=str(entity_id), data=data)
    entry.prev_hash = prev
    entry.hash = _digest(prev, _audit_payload(entry))
    session.add(entry)


def _audit_payload(e: AuditEntry) -> dict:
    return {"at": e.at.isoformat(), "user_id": e.user_id, "action": e.action, "entity": e.entity,
            "entity_id": e.entity_id, "data": e.data}


def verify_events(session: Session) -> list[str]:
    """Problems in the case histories' hash chains (tampering, gaps), as Vietnamese lines."""
    problems: list[str] = []
    prev_case, prev_hash, prev_seq = None, "", 0
    rows = session.execute(select(CaseEvent).order_by(CaseEvent.case_id, CaseEvent.seq)).scalars()
    for ev in rows:
        if ev.case_id != prev_case:
            prev_case, prev_hash, prev_seq = ev.case_id, "", 0
        if ev.seq != prev_seq + 1:
            problems.append(f"Hồ sơ #{ev.case_id}: lịch sử thiếu sự kiện trước số {ev.seq}.")
        if ev.prev_hash != prev_hash or ev.hash != _digest(prev_hash, event_payload(ev)):
            problems.append(f"Hồ sơ #{ev.case_id}: sự kiện số {ev.seq} đã bị sửa ngoài phần mềm.")
        prev_hash, prev_seq = ev.hash, ev.seq
    return problems


def verify_audit(session: Session) -> list[str]:
    problems, prev = [], ""
    for e in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        if e.prev_hash != prev or e.hash != _digest(prev, _audit_payload(e)):
            problems.append(f"Nhật ký thay đổi #{e.id} đã bị sửa ngoài phần mềm.")
        prev = e.hash
    return problems


def event_count(session: Session) -> int:
    return session.execute(select(func.count(CaseEvent.id))).scalar_one()
