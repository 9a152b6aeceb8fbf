"""The operations every screen and the CLI call, bundled for the composition root (`tthc_desk.services.Services`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from tthc_desk.clock import Clock, SystemClock
from tthc_desk.services.accounts import AccountService
from tthc_desk.services.base import CalendarCache
from tthc_desk.services.office import OfficeService
from tthc_desk.services.queue import QueueService
from tthc_desk.storage.db import Database

if TYPE_CHECKING:
    from tthc_desk.reports.service import ReportService
    from tthc_desk.services.calendar_service import CalendarService
    from tthc_desk.services.casefile import CaseFileService
    from tthc_desk.services.catalogue import CatalogueService
    from tthc_desk.services.documents import DocumentService
    from tthc_desk.services.intake import IntakeService
    from tthc_desk.services.workflow import WorkflowService
    from tthc_desk.sync.service import SyncService


@dataclass
class Services:
    db: Database
    clock: Clock
    accounts: AccountService
    office: OfficeService
    queue: QueueService
    calendars: CalendarCache

    # what the queue window does not need to open is built on first use: its modules are not imported at
    # start-up (intake, case actions, catalogue and calendar editing ~0.04 s; printing, reports and the portal
    # sync ~0.05 s)
    @cached_property
    def catalogue(self) -> CatalogueService:
        from tthc_desk.services.catalogue import CatalogueService

        return CatalogueService(self.db, self.clock, self.calendars)

    @cached_property
    def calendar(self) -> CalendarService:
        from tthc_desk.services.calendar_service import CalendarService

        return CalendarService(self.db, self.clock, self.calendars)

    @cached_property
    def intake(self) -> IntakeService:
        from tthc_desk.services.intake import IntakeService

        return IntakeService(self.db, self.clock, self.calendars)

    @cached_property
    def workflow(self) -> WorkflowService:
        from tthc_desk.services.workflow import WorkflowService

        return WorkflowService(self.db, self.clock, self.calendars)

    @cached_property
    def casefile(self) -> CaseFileService:
        from tthc_desk.services.casefile import CaseFileService

        return CaseFileService(self.db, self.clock, self.calendars)

    @cached_property
    def documents(self) -> DocumentService:
        from tthc_desk.services.documents import DocumentService

        return DocumentService(self.db, self.clock, self.calendars)

    @cached_property
    def reports(self) -> ReportService:
        from tthc_desk.reports.service import ReportService

        return ReportService(self.db, self.clock, self.calendars)

    @cached_property
    def sync(self) -> SyncService:
        from tthc_desk.sync.service import SyncService

        return SyncService(self.db, self.clock, self.calendars)

    @classmethod
    def build(cls, db: Database, clock: Clock | None = None) -> Services:
        clock = clock or SystemClock()
        cache = CalendarCache()
        return cls(
            db=db, clock=clock,
            accounts=AccountService(db, clock, cache), office=OfficeService(db, clock, cache),
            queue=QueueService(db, clock, cache), calendars=cache,
        )
