"""Writing the file's values over known cases (updates and the conflicts taken), and what the file showed of the
desk-changed cases it leaves alone; part of the import's one transaction (`service.SyncService.run_import`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy import case as sql_case
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from tthc_desk.domain import CLOSED_OTHER, Status
from tthc_desk.storage.models import Case, CaseEvent, CaseStep
from tthc_desk.sync.reader import PortalRow
from tthc_desk.sync.service_match import portal_view
from tthc_desk.sync.service_model import differences, file_values, not_before, result_moment, row_moment
from tthc_desk.sync.service_write import (
    CHUNK,
    WriteContext,
    _event,
    _row_data,
    _search_text,
    _Warn,
    bulk_insert,
)

PROGRESS_EVERY = 1000  # updates between two reports of progress


def apply_updates(ctx: WriteContext, items: list[tuple[PortalRow, dict, dict]],
                  kept: dict[str, frozenset[str]] | None = None) -> int:
    """Write the file's values over known cases, each with an IMPORTED event listing the changes.

    A case the file finishes or closes hands back the step a unit still holds (`_close_open_steps`), as the
    desk's own result or closing does (`WorkflowService._close_open_step`).

    `kept`: the taken conflicts, by code, each with the columns that stay ours (`Conflict.kept`: the desk's newer
    values). A taken conflict stays unsynced, its snapshot what the file showed: the desk changed it since the
    last sync, and the file may leave out (empty cells, missing columns) what it changed, as well as `kept`."""
    kept = kept or {}
    if not items:
        return 0
    s = ctx.session
    last = _last_events(s, [case["id"] for _row, case, _v in items])
    warn = _Warn(ctx.cal)
    groups: dict[tuple[str, ...], list[dict]] = {}
    events = []
    ended: list[int] = []  # the cases this import finishes or closes
    for n, (row, case, _changed) in enumerate(items, 1):
        ctx.check_cancel()
        if n % PROGRESS_EVERY == 0:
            ctx.advance(PROGRESS_EVERY)
        unit_id = ctx.resolver.unit(row) if row.unit else None
        theirs = file_values(row, ctx.mapped, unit_id, Status(case["status"]))
        conflict = case["code"] in kept
        keep = kept.get(case["code"], frozenset())
        changed = {k: v for k, (_held, v) in differences(case, theirs).items() if k not in keep}
        merged = {**case, **changed}
        result_at = result_moment(merged["status"], merged["result_at"], merged["returned_at"])
        if result_at != merged["result_at"]:
            changed["result_at"] = result_at  # handed back without a result moment: ready by then
        for column, floor in (("result_at", "received_at"), ("closed_at", "received_at"), ("returned_at", "result_at")):
            if changed.get(column) is not None:  # a day without a time on the day of the moment before it
                before = changed.get(floor, case[floor]) or changed.get("received_at", case["received_at"])
                changed[column] = not_before(changed[column], before)
        values = _derived(ctx, case, changed, row, warn)
        if values.get("is_open") is False and Status(case["status"]).is_open:
            ended.append(case["id"])
        if conflict:  # still to be sent; the portal now holds the file's values
            del values["synced_at"]
            values.update(synced_version=case["synced_version"], synced_values=portal_view(case, theirs))
        groups.setdefault(tuple(sorted(values)), []).append({"_id": case["id"], **values})
        seq, prev = last.get(case["id"], (0, ""))
        data = _row_data(row, ctx)
        data["changes"] = {k: [_iso(case.get(k)), _iso(v)] for k, v in changed.items()}
        events.append(_event(case["id"], seq + 1, prev, ctx, data))
    table = Case.__table__
    conn = s.connection()
    for keys, params in groups.items():
        stmt = update(table).where(table.c.id == bindparam("_id")).values({k: bindparam(k) for k in keys})
        conn.execute(stmt, params)
    _close_open_steps(conn, ended, ctx.now)
    bulk_insert(conn, CaseEvent.__table__, events)
    ctx.advance(len(items) % PROGRESS_EVERY)
    return len(items)


def keep_seen(ctx: WriteContext, seen: list[tuple[int, int, dict]]) -> None:
    """Store what the file showed of desk-changed cases it does not update (`Classified.seen`): bookkeeping of
    the sync, not a change of the case (no new version, no event). The version guards against a change made
    since the cases were read (none can be: they are read under the write lock)."""
    if not seen:
        return
    table = Case.__table__
    stmt = (update(table).where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
            .values(synced_values=bindparam("_seen")))
    ctx.session.connection().execute(stmt, [{"_id": i, "_version": v, "_seen": kept} for i, v, kept in seen])


def _derived(ctx: WriteContext, case: dict, changed: dict, row: PortalRow, warn: _Warn) -> dict:
    values = dict(changed)
    merged = {**case, **changed}
    if "status" in changed:
        values["is_open"] = Status(changed["status"]).is_open
        values.update(_wait_moments(case["status"], changed["status"], ctx.now))
        values.update(_ending_moments(case["status"], merged, ctx.now))
    if "due_at" in changed:  # the file's new appointment: the case's one extension (DOMAIN §4)
        values["extension_count"] = max(1, case["extension_count"])
    elif "original_due_at" in changed and not case["extension_count"]:
        values["due_at"] = merged["due_at"] = changed["original_due_at"]
    if "applicant_name" in changed and "owner" not in ctx.mapped and case["owner_name"] == case["applicant_name"]:
        values["owner_name"] = merged["owner_name"] = changed["applicant_name"]  # the owner was the applicant
    reopened = values.get("is_open") and case["warn_at"] is None
    if merged["original_due_at"] is not None and (reopened or {"original_due_at", "received_at"} & changed.keys()):
        proc = ctx.catalogue.procedures.get(case["procedure_id"])
        window = proc.warning_minutes if proc is not None and proc.warning_minutes is not None else None
        window = ctx.office.warning_minutes if window is None else window
        values["warn_minutes"], values["warn_at"] = warn(merged["received_at"], merged["original_due_at"], window)
    if "procedure_code" in changed:
        values["procedure_id"] = ctx.catalogue.find_procedure(row.procedure_code, row.procedure_name)
    if "lead_unit_id" in changed and case["source"] == "import":
        values["current_unit_id"] = changed["lead_unit_id"]
    if {"received_at", "original_due_at"} & changed.keys() and case["source"] == "import":
        # the portal's due (again): not one this office computed at papers back, so a calendar edit leaves it
        values["clock_from"] = merged["received_at"]
    moment = row_moment(row)
    held = case["portal_updated_at"]
    values["portal_updated_at"] = max(m for m in (moment, held) if m is not None) if (moment or held) else None
    values["search_text"] = _search_text(merged)
    values.update(updated_at=ctx.now, synced_at=ctx.now, version=case["version"] + 1, synced_version=case["version"] + 1)
    return values


def _wait_moments(held: str, status: str, now: datetime) -> dict[str, datetime]:
    """A file that moves a case into or out of "Chờ bổ sung" says when it learnt that, not when the papers
    were asked for or came back: the import's moment is taken for either, so a report on a period before the
    import says what it said then (see reports.predicates)."""
    waiting = str(Status.WAITING_SUPPLEMENT)
    if status == waiting and held != waiting:
        return {"supplement_requested_at": now}
    if held == waiting and status != waiting:
        return {"supplement_returned_at": now}
    return {}


def _ending_moments(held: str, merged: dict, now: datetime) -> dict[str, datetime]:
    """A file that closes a case we hold open ("Từ chối", "Rút hồ sơ", "Dừng xử lý"), or hands back a result we
    hold not handed back, without stating when: the import's moment is taken, as for a wait (`_wait_moments`).
    It happened after the desk last heard of the case and no later than this import; left empty, the reports
    would read the closing as the receipt (`reports.predicates.FULL`): the case would leave the current
    period's report and a past period's report, run again, would count it closed there. (A case first seen
    closed keeps its closing empty: nothing bounds it but its receipt. A file finishing an open case without a
    result moment is refused: `service_model.finish_problem`.)"""
    status = merged["status"]
    if status in CLOSED_OTHER and Status(held).is_open and merged["closed_at"] is None:
        return {"closed_at": now}
    if status == Status.RETURNED and held != Status.RETURNED and merged["returned_at"] is None:
        return {"returned_at": max(now, merged["result_at"] or now)}
    return {}


def _close_open_steps(conn: Connection, case_ids: list[int], now: datetime) -> None:
    """The step a unit still holds on each of `case_ids` (cases the import finished or closed) ends when the
    case did: at its result (or closing) moment, never before the step began (the file's day without a time,
    or a result the portal dates before the desk's hand-off). One statement per chunk of ids, reading the
    moments the update has just written."""
    step, cases = CaseStep.__table__, Case.__table__
    moment = func.coalesce(cases.c.result_at, cases.c.closed_at, cases.c.returned_at, now)
    ended_at = (select(sql_case((moment < step.c.started_at, step.c.started_at), else_=moment))
                .where(cases.c.id == step.c.case_id).scalar_subquery())
    for i in range(0, len(case_ids), CHUNK):
        ids = case_ids[i : i + CHUNK]
        conn.execute(update(step).where(step.c.case_id.in_(ids), step.c.finished_at.is_(None))
                     .values(finished_at=ended_at))


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _last_events(s: Session, case_ids: list[int]) -> dict[int, tuple[int, str]]:
    out: dict[int, tuple[int, str]] = {}
    for i in range(0, len(case_ids), CHUNK):
        ids = case_ids[i : i + CHUNK]
        top = (select(CaseEvent.case_id, func.max(CaseEvent.seq).label("seq"))
               .where(CaseEvent.case_id.in_(ids)).group_by(CaseEvent.case_id).subquery())  # fmt: skip
        stmt = select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.hash).join(
            top, (top.c.case_id == CaseEvent.case_id) & (top.c.seq == CaseEvent.seq))
        out.update({c: (q, h) for c, q, h in s.execute(stmt)})
    return out
