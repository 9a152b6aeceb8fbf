"""TTHC Desk composition root: arguments -> paths -> logging -> database -> services -> window.

With a command (`python main.py queue --json`) it runs the command line and never opens a window. `main.py`
is the script that starts it: a module's compiled form is kept between starts, a script's is compiled at every
start (6 ms of this one's).
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from pathlib import Path

CLI_COMMANDS = {"init", "demo", "deadline", "check", "backup", "case", "queue", "catalogue", "calendar", "user",
                "unit", "print", "report", "letter", "register", "sync", "office"}
DEMO_DB = "tthc_desk_demo.sqlite3"
DEMO_CASES = 6000
SELF_TEST_LIMIT_MS = 30_000
STARTED = time.perf_counter()
log = logging.getLogger("tthc_desk.main")


def wants_cli(argv: list[str]) -> bool:
    return any(a in CLI_COMMANDS for a in argv) or argv[:1] in (["-h"], ["--help"])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if wants_cli(argv):
        gc.enable()  # main.py paused it for the window's start only
        from tthc_desk.cli import main as cli_main

        return cli_main(argv)
    try:
        return run_gui(argv)
    finally:
        resume_collector()


def gui_arguments(argv: list[str]) -> argparse.Namespace:
    args, _qt_args = gui_parser().parse_known_args(argv)
    return args


def gui_parser() -> argparse.ArgumentParser:
    """The window's options (anything else is left for Qt)."""
    from tthc_desk.cli.argparse_vi import VietnameseArgumentParser

    parser = VietnameseArgumentParser(prog="tthc-desk", description="TTHC Desk — cửa sổ Bộ phận Một cửa")
    parser.add_argument("--demo", action="store_true", help="mở cơ quan mẫu (tệp dữ liệu mẫu riêng)")
    parser.add_argument("--db", metavar="TỆP_HOẶC_URL", help="tệp SQLite hoặc URL PostgreSQL")
    parser.add_argument("--data-dir", metavar="THƯ_MỤC",
                        help="thư mục dữ liệu (dùng khi chạy từ ổ USB, khi thử)")
    parser.add_argument("--now", metavar="THỜI_ĐIỂM",
                        help='giờ cố định để thử / chụp màn hình: "YYYY-MM-DD HH:MM"')
    parser.add_argument("--self-test", action="store_true", help="khởi động, ghi 'startup complete' rồi thoát")
    parser.add_argument("--user", default="", metavar="TÊN_ĐĂNG_NHẬP",
                        help="tên đăng nhập điền sẵn (--self-test: người dùng chạy thử)")
    return parser


def database_target(args, data: Path) -> str:
    return args.db or str(data / (DEMO_DB if args.demo else "tthc_desk.sqlite3"))


def open_services(target: str, clock):
    """The database (created, migrated, office ensured) and the services; with the generated administrator
    password when the database is new (else None)."""
    from tthc_desk.services import Services
    from tthc_desk.storage.db import Database, make_url

    db = Database(make_url(target))
    db.migrate()
    services = Services.build(db, clock)
    _office_id, password = services.office.ensure_office()
    return services, password


def build_demo_if_empty(services, app) -> None:
    """First --demo run: fill the demo office, with a message on screen while it works."""
    from PySide6.QtWidgets import QSplashScreen

    from tthc_desk.services.demo import build_demo
    from tthc_desk.services.queue import QueueFilter

    if services.queue.count(services.office.actor_for("admin"), QueueFilter(open_only=False)):
        return
    splash = QSplashScreen()
    splash.showMessage("Đang dựng dữ liệu mẫu (lần đầu, khoảng một phút)…")
    splash.show()
    app.processEvents()
    log.info("building demo office: %s cases", DEMO_CASES)
    build_demo(services, cases=DEMO_CASES)
    splash.close()


def run_gui(argv: list[str]) -> int:
    """Open the window (login first).

    The services (SQLAlchemy, the database opened and migrated) are built on a thread of their own. A new or
    unknown database (nothing in use, or no start-up plan for the user named) waits for them before the login,
    as it may need its administrator password shown or the demo office built; they are then built while Qt
    loads. Otherwise the login dialog (or `--self-test`'s user) comes first and the services are built once
    it is on screen: the start-up plan (`tthc_desk.startup`) answers a login made before they are ready and
    reads the queue's first page, so the window paints without them; anything else it asks waits for them."""
    args = gui_arguments(argv)
    from tthc_desk.clock import FixedClock, SystemClock, parse_moment
    from tthc_desk.logs import setup_logging
    from tthc_desk.paths import data_dir, log_dir
    from tthc_desk.services.pending import PendingServices

    data = data_dir(args.data_dir)
    clock = FixedClock(parse_moment(args.now)) if args.now else SystemClock()
    target = database_target(args, data)
    first_password: list[str | None] = []

    def build():
        services, password = open_services(target, clock)
        first_password.append(password)
        log.info("services ready after %.3f s", time.perf_counter() - STARTED)
        return services

    pending = PendingServices(build, start=False)
    start = StartPlans(target, clock)
    username = args.user or ("tiepnhan1" if args.demo else "admin" if args.self_test else "")
    early_login = start.ready_to_log_in(username, args.demo)
    log_file = setup_logging(log_dir(data), console=args.self_test)
    log.info("starting; data folder %s, log %s", data, log_file)
    from ui.app import create_application, install_exception_hook

    # No other thread may import while PySide6 is imported: its start-up walks sys.modules, and a module
    # added meanwhile aborts the process ("dictionary changed size during iteration", seen in CI).
    if not early_login:
        pending.start()  # waited for before the login: built while the application object is made
    install_exception_hook()
    app = create_application(sys.argv[:1])
    if not early_login:  # a new or unknown database: what it needs is done before the login
        try:
            services = pending.result()
        except Exception as exc:  # noqa: BLE001 - shown (a windowed program has no console) and logged
            from ui.dialogs import show_error

            show_error(None, exc)
            return 1
        if args.demo:
            build_demo_if_empty(services, app)
        elif first_password[0] and not args.self_test:
            set_up_first_run(services, first_password[0])
            username = username or "admin"
        elif first_password[0]:
            log.warning("new database: administrator 'admin' created with a generated password")
            print(f"Đã tạo cơ sở dữ liệu mới; tài khoản quản trị: admin / {first_password[0]}", file=sys.stderr)
    actor = login(pending, start, args, username)
    if actor is None:  # the login was closed: never leave while the services are being built (a migration)
        if pending.started:
            try:
                pending.result()
            except Exception:  # noqa: BLE001 - nobody waits for them any more: the log keeps why
                log.exception("services not built")
        return 0
    from ui.queue.model import PAGE_SIZE, QueueSnapshot, prefetch, seed

    first = start.first_queue
    if first is not None and first.actor == actor:
        seed(pending, actor, QueueSnapshot(first.ids[:PAGE_SIZE], first.rows[:PAGE_SIZE], first.counts,
                                           total=first.total))
        log.info("queue first page read by the start-up plan (services still loading)")
    else:
        first = None
        prefetch(pending, actor)  # the queue's first load runs while the window is built
    from ui.main_window import MainWindow

    window = MainWindow(pending, actor, office_name=first.office_name if first else None)
    window.first_page_shown.connect(lambda: log.info("queue first page painted after %.3f s (CPU %.3f s)",
                                                     time.perf_counter() - STARTED, time.process_time()))
    after = AfterStart(pending, start, actor, app)
    window.first_page_shown.connect(resume_collector)
    window.first_page_shown.connect(pending.start)  # if the login did not need them: now, not before the paint
    window.first_page_shown.connect(after.first_page_shown)
    if args.self_test:
        from PySide6.QtCore import QTimer

        window.first_page_shown.connect(app.quit)
        QTimer.singleShot(SELF_TEST_LIMIT_MS, app.quit)
    window.show()
    log.info("startup complete")
    code = app.exec()
    after.finish()
    return code


class StartPlans:
    """The start-up plans of this database (SQLite only): whether a user has one, and the first queue read
    with it (`first_queue`, kept for the window) when the login or `--user` used it."""

    def __init__(self, target: str, clock) -> None:
        self.path = None if "://" in target else Path(target).expanduser().resolve()
        self.clock = clock
        self.first_queue = None
        self._plans: dict[str, object] = {}  # per login name, read once

    def ready_to_log_in(self, username: str, demo: bool) -> bool:
        """Whether the login can come before the services: the database is in use (nothing to set up first)
        and, when the user is known, has a plan for them."""
        if self.path is None:
            return False
        from tthc_desk.startup import database_in_use

        return database_in_use(self.path, with_cases=demo) and (not username or self.plan(username) is not None)

    def plan(self, username: str):
        if self.path is None or not username:
            return None
        from tthc_desk.startup import load_plan, login_name

        name = login_name(username)
        if name not in self._plans:
            self._plans[name] = load_plan(self.path, name)
        return self._plans[name]

    def replay(self, username: str, password: str | None = None):
        """The actor by the plan (and the first queue page, kept), or None: the services then answer."""
        plan = self.plan(username)
        if plan is None:
            return None
        from tthc_desk.startup import replay

        self.first_queue = replay(plan, username, self.clock.now().replace(second=0, microsecond=0), password)
        return self.first_queue.actor if self.first_queue else None

    def record(self, services, actor) -> None:
        from tthc_desk.services.start_plan import record_start_plan
        from tthc_desk.startup import save_plan
        from ui.queue.model import PAGE_SIZE

        try:
            plan = record_start_plan(services, actor, PAGE_SIZE)
            if plan is not None and save_plan(plan):
                log.info("start-up plan recorded for %s", actor.username)
        except Exception:  # noqa: BLE001 - a start-up speed-up only: the next start waits for the services
            log.exception("start-up plan not recorded")


class AfterStart:
    """Once the first page is shown and the services are built: settle the heap and record the start-up plan
    (at the latest when the window closes); a failed build is shown and ends the program."""

    POLL_MS = 50

    def __init__(self, pending, start: StartPlans, actor, app) -> None:
        self.pending, self.start, self.actor, self.app = pending, start, actor, app
        self.done = False
        self.recorder = None

    def first_page_shown(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer(interval=self.POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.timer.start()
        self._poll()

    def _poll(self) -> None:
        if self.done or not self.pending.ready:
            return
        self.done = True
        self.timer.stop()
        error = self.pending.error()
        if error is not None:
            from ui.dialogs import show_error

            show_error(None, error)
            self.app.exit(1)
            return
        settle_heap()
        import threading

        self.recorder = threading.Thread(target=self.start.record, args=(self.pending.result(), self.actor),
                                         name="start-plan", daemon=True)
        self.recorder.start()

    def finish(self) -> None:
        """At exit: wait for the services (never quit in the middle of a migration), record the plan if the
        window closed before they were ready."""
        try:
            services = self.pending.result()
        except Exception:  # noqa: BLE001 - already reported, or the window never opened
            return
        if not self.done:
            self.done = True
            self.start.record(services, self.actor)
        elif self.recorder is not None:
            self.recorder.join(timeout=30)


def resume_collector() -> None:
    """The queue's first page is painted: the garbage collector, paused by main.py until now, runs again.

    Nearly everything a start allocates (modules, classes, Qt's wrappers) lives until the program ends, yet
    every 700 allocations the collector walked the newest of it again: 52 collections, 14-17 ms of a start
    from a plan (200,000 cases). What the start allocated is frozen first, so that no collection walks it
    (see `settle_heap`)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def settle_heap() -> None:
    """Once the services are in: what the start built (modules, the ORM's mappings, Qt's wrappers) lives until
    the program ends; frozen out of the garbage collector's sight, a full collection later walks only what the
    session adds. On 200,000 cases the slowest page while scrolling through every case was such a collection
    (69 ms); with the start-up objects frozen the slowest page is ~25 ms.

    Frozen as they are, not collected first: a full collection here found 140-250 objects of garbage (a few
    kilobytes, kept for good now) and held the window for 62-98 ms."""
    started = time.perf_counter()
    gc.freeze()
    log.info("heap settled in %.1f ms: %d objects kept out of collections",
             (time.perf_counter() - started) * 1000, gc.get_freeze_count())


def set_up_first_run(services, password: str) -> None:
    """A new database: the first-run set-up (office, letterhead, signer, the administrator's own password, the
    catalogue); when the user leaves it for later, the generated password, on screen — a windowed program has
    no console to print it to."""
    from ui import dialogs
    from ui.first_run import FirstRunDialog

    dialog = FirstRunDialog(services, services.accounts.login("admin", password), password)
    if dialog.exec():
        log.info("first-run set-up done (catalogue: %s)", dialog.report.new if dialog.report else "not loaded")
        return
    dialogs.info(None, "Cơ sở dữ liệu mới",
                 "Đã tạo cơ sở dữ liệu mới.\n\nTài khoản quản trị: admin\n"
                 f"Mật khẩu: {password}\n\nHãy ghi lại mật khẩu này, đăng nhập, rồi khai báo thông tin cơ quan "
                 "và đổi mật khẩu trong Danh mục / Cài đặt.")


def login(pending, start: StartPlans, args, username: str):
    """The logged-in actor (--self-test: the named user without a dialog, then the app quits at once). While
    the services load, the start-up plan may answer (`StartPlans.replay`); otherwise the services do."""
    if args.self_test:
        return (start.replay(username) if not pending.ready else None) or pending.office.actor_for(username)
    from ui.app import DEMO_HINT, after_first_paint
    from ui.login import LoginDialog

    dialog = LoginDialog(pending, username, "demo123" if args.demo else "", DEMO_HINT if args.demo else "",
                         quick_login=start.replay)
    after_first_paint(dialog, pending.start)  # the services load while the user types
    return dialog.actor if dialog.exec() else None
