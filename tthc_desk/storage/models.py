"""SQLAlchemy 2 models. Times are naive local office time (one office, one time zone), to the minute."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Office(Base):
    __tablename__ = "office"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # identifier code, e.g. 000.00.17.H10
    name: Mapped[str] = mapped_column(String(255))
    place_name: Mapped[str] = mapped_column(String(100), default="")
    parent_body: Mapped[str] = mapped_column(Text, default="")  # letterhead left column, lines
    issuing_body: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    signers: Mapped[list] = mapped_column(JSON, default=list)  # [{prefix, authority, title, name}]
    sessions: Mapped[str] = mapped_column(String(60), default="07:00-11:30,13:30-17:00")
    cutoff: Mapped[str] = mapped_column(String(5), default="15:00")
    warning_minutes: Mapped[int] = mapped_column(Integer, default=480)
    supplement_mode: Mapped[str] = mapped_column(String(10), default="restart")
    on_time_target: Mapped[float] = mapped_column(Float, default=95.0)
    form_profile: Mapped[str] = mapped_column(String(40), default="tt01_2018")
    settings: Mapped[dict] = mapped_column(JSON, default=dict)


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("office_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40), default="")  # phòng ban / xã / cơ quan
    code: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    unit: Mapped[Unit | None] = relationship(lazy="joined")


class Procedure(Base):
    __tablename__ = "procedure"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    national_code: Mapped[str] = mapped_column(String(20), index=True, default="")
    name: Mapped[str] = mapped_column(Text)
    name_folded: Mapped[str] = mapped_column(Text, default="")
    field: Mapped[str] = mapped_column(String(255), default="", index=True)
    levels: Mapped[str] = mapped_column(String(120), default="")
    decision: Mapped[str] = mapped_column(String(255), default="")
    agency: Mapped[str] = mapped_column(Text, default="")
    fee: Mapped[str] = mapped_column(Text, default="")
    direct_amount: Mapped[float | None] = mapped_column(Float)
    direct_unit: Mapped[str | None] = mapped_column(String(20))
    online_amount: Mapped[float | None] = mapped_column(Float)
    online_unit: Mapped[str | None] = mapped_column(String(20))
    post_amount: Mapped[float | None] = mapped_column(Float)
    post_unit: Mapped[str | None] = mapped_column(String(20))
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_note: Mapped[str] = mapped_column(Text, default="")
    papers: Mapped[list] = mapped_column(JSON, default=list)  # [{name, originals, certified, photocopies}]
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    cooperating: Mapped[str] = mapped_column(Text, default="")
    workflow: Mapped[list] = mapped_column(JSON, default=list)  # [{name, unit_id, days}]
    supplement_mode: Mapped[str | None] = mapped_column(String(10))
    warning_minutes: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


class Case(Base):
    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("office_id", "register_year", "register_number"),
        # the queue: open cases by due time
        Index("ix_case_open_due", "is_open", "original_due_at"),
        # reports: covering index over what the per-unit aggregates read
        Index(
            "ix_case_report",
            "lead_unit_id",
            "received_at",
            "original_due_at",
            "result_at",
            "status",
            "channel",
        ),
        # reports: the few cases whose wait ended after a period's end (migration 0009); partial, as most have none
        Index("ix_case_returned", "supplement_returned_at", sqlite_where=text("supplement_returned_at IS NOT NULL"),
              postgresql_where=text("supplement_returned_at IS NOT NULL")),
        Index("ix_case_received", "received_at"),
        Index("ix_case_open_colour", "is_open", "office_id", "status", "original_due_at", "warn_at"),
        # the queue in display order, covering the search and the colour (migration 0004)
        Index("ix_case_queue", "is_open", text("(status = 'waiting_supplement')"), "original_due_at", "id",
              "office_id", "status", "warn_at", "search_text"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    register_year: Mapped[int | None] = mapped_column(Integer)
    register_number: Mapped[int | None] = mapped_column(Integer)
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id"), index=True)
    procedure_code: Mapped[str] = mapped_column(String(60), default="")
    procedure_name: Mapped[str] = mapped_column(Text, default="")
    field: Mapped[str] = mapped_column(String(255), default="")
    # the rule the case was received under (never moved by later catalogue edits)
    rule_amount: Mapped[float | None] = mapped_column(Float)
    rule_unit: Mapped[str | None] = mapped_column(String(20))
    supplement_mode: Mapped[str] = mapped_column(String(10), default="restart")
    rule_snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    applicant_name: Mapped[str] = mapped_column(String(255))
    applicant_id_number: Mapped[str] = mapped_column(String(20), default="")
    applicant_phone: Mapped[str] = mapped_column(String(20), default="")
    applicant_email: Mapped[str] = mapped_column(String(255), default="")
    applicant_address: Mapped[str] = mapped_column(Text, default="")
    owner_name: Mapped[str] = mapped_column(String(255), default="")
    owner_id_number: Mapped[str] = mapped_column(String(20), default="")
    owner_address: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(10), default="direct")
    return_channel: Mapped[str] = mapped_column(String(10), default="direct")
    papers: Mapped[list] = mapped_column(JSON, default=list)
    sets_count: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    # the moment the current statutory due is counted from (receipt, or papers received back)
    clock_from: Mapped[datetime | None] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)  # current appointment (after an extension)
    original_due_at: Mapped[datetime | None] = mapped_column(DateTime)  # statutory due; decides timeliness
    warn_at: Mapped[datetime | None] = mapped_column(DateTime)
    warn_minutes: Mapped[int] = mapped_column(Integer, default=0)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    current_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    result_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    close_reason: Mapped[str] = mapped_column(Text, default="")
    # pause mode: working minutes that were left when papers were requested (added from `clock_from`)
    paused_minutes_left: Mapped[int | None] = mapped_column(Integer)
    supplement_requested_at: Mapped[datetime | None] = mapped_column(DateTime)
    # when papers were last received back: the end of the latest wait (reports see a past period's waits by it)
    supplement_returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    supplement_count: Mapped[int] = mapped_column(Integer, default=0)
    extension_count: Mapped[int] = mapped_column(Integer, default=0)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    source: Mapped[str] = mapped_column(String(10), default="desk")  # desk | import
    search_text: Mapped[str] = mapped_column(Text, default="")
    intake_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    portal_updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    synced_at: Mapped[datetime | None] = mapped_column(DateTime)
    synced_version: Mapped[int | None] = mapped_column(Integer)  # the version last exported or imported
    # what the portal last saw of the case, kept when the desk first changes it after a sync (`_keep_synced`):
    # {"version": the synced version it describes, "values": {column: value}} (migration 0010)
    synced_values: Mapped[dict | None] = mapped_column(JSON)

    __mapper_args__ = {"version_id_col": version}


# the case columns an import compares with the portal's file (sync.plan.CASE_FIELDS)
SYNCED_COLUMNS = ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address",
                  "procedure_code", "procedure_name", "field", "lead_unit_id", "channel", "status", "received_at",
                  "original_due_at", "due_at", "result_at", "closed_at", "returned_at", "owner_name",
                  "owner_id_number", "owner_address")  # fmt: skip


@event.listens_for(Case, "before_update")
def _keep_synced(_mapper, _connection, case: Case) -> None:
    """The first desk change after a sync keeps the synced values, so that an import can tell a file that
    still holds them (the portal has not seen our change: nothing new) from one the portal changed too (a
    conflict). Every desk change goes through the ORM; the import and the export's marking write with Core
    and leave this alone (a kept snapshot names its version, so an older one is never taken for a newer sync)."""
    state = inspect(case)
    version = _committed(state, "version")
    if version is None or version != _committed(state, "synced_version"):
        return  # changed since the last sync already (its snapshot, if any, was kept then), or never synced
    kept = _committed(state, "synced_values")
    before = kept.get("before") if kept and kept.get("version") == version else None  # (`mark_synced`)
    case.synced_values = synced_snapshot(version, {c: _committed(state, c) for c in SYNCED_COLUMNS}, before)


def synced_snapshot(version: int | None, values: dict, before: dict | None = None) -> dict:
    """`Case.synced_values` for what the portal holds as of the synced `version` (None: never sent), and what
    it showed before the upload that synced that version, when known (`replaced_values`)."""
    kept = {"version": version, "values": {c: v.isoformat() if isinstance(v, datetime) else v
                                           for c, v in values.items()}}  # fmt: skip
    return kept if before is None else {**kept, "before": before}


def _committed(state, key: str):
    """The attribute's value as loaded from the database (before this flush's change)."""
    history = state.attrs[key].load_history()
    held = history.deleted or history.unchanged
    return held[0] if held else None


def synced_values(case: dict) -> dict | None:
    """The values the portal last showed of a case (a row read with `synced_version` and `synced_values`), or
    None when they were not kept for its latest sync. Kept at the desk's first change after a sync, and by an
    import for the columns its file states of a case the desk has changed since (`service_match`)."""
    return _kept(case, "values")


def replaced_values(case: dict) -> dict | None:
    """What the portal showed of a case before the upload that synced it last (`"before"`, kept by the export
    when the desk had changed the case since the sync before; carried over by the desk's next change): a file
    still holding it was made before the portal took our upload. None when unknown, or when an import has shown
    the portal's values since (`service_match.portal_view`)."""
    return _kept(case, "before")


def _kept(case: dict, key: str) -> dict | None:
    kept = case.get("synced_values")
    if not kept or kept.get("version") != case.get("synced_version") or kept.get(key) is None:
        return None
    return {c: datetime.fromisoformat(v) if isinstance(v, str) and c in _MOMENTS else v
            for c, v in kept[key].items()}


_MOMENTS = frozenset(c for c in SYNCED_COLUMNS if isinstance(Case.__table__.c[c].type, DateTime))


class CaseEvent(Base):
    """Append-only history of a case; each row is chained to the previous one by a hash."""

    __tablename__ = "case_event"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64))


class CaseStep(Base):
    """One hand-off of a case to a processing unit, with that unit's own deadline (its share)."""

    __tablename__ = "case_step"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    share_minutes: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class Letter(Base):
    """A document issued for a case (receipt, supplement request, refusal, apology, control sheet)."""

    __tablename__ = "letter"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(60), default="")
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    signer: Mapped[str] = mapped_column(String(255), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class CalendarDay(Base):
    """An administrator's override of the package calendar: an extra day off or a worked day."""

    __tablename__ = "calendar_override"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(255), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)


class Sequence(Base):
    """Counters allocated inside the writing transaction (case codes per day, register numbers per year)."""

    __tablename__ = "sequence"
    __table_args__ = (UniqueConstraint("office_id", "kind", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    kind: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(10))
    value: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Changes outside cases (catalogue, users, calendar, settings), hash-chained like case events."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64))


class ExportRecord(Base):
    """What was exported for the portal, and when ("not yet synced" reports read this)."""

    __tablename__ = "export_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(30))
    path: Mapped[str] = mapped_column(Text, default="")
    count: Mapped[int] = mapped_column(Integer, default=0)
    changed_since: Mapped[datetime | None] = mapped_column(DateTime)


class ImportMapping(Base):
    """A column mapping the user corrected, remembered for files with the same headers."""

    __tablename__ = "import_mapping"
    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), unique=True)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


def not_synced():
    """Cases the portal has not seen as they are now: never exported or imported, or changed since (by version,
    so that a change in the same minute as an export still counts)."""
    from sqlalchemy import or_

    return or_(Case.synced_version.is_(None), Case.version > Case.synced_version)
