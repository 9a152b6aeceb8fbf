"""Screenshots at 1366x768 for looking at the window (not a test): queue, intake form, case view.

    uv run python tests/ui/take_screenshots.py --db /tmp/ui.sqlite3 --now "2026-11-20 10:00" --out shots
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tthc_desk.cli.context import parse_moment  # noqa: E402
from tthc_desk.clock import FixedClock  # noqa: E402
from tthc_desk.services import Services  # noqa: E402
from tthc_desk.storage.db import Database, make_url  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.main_window import PAGE_INTAKE, PAGE_QUEUE, PAGE_REPORTS, MainWindow  # noqa: E402
from ui.tasks import use_inline_executor  # noqa: E402


def settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--now", required=True)
    parser.add_argument("--out", default="shots")
    parser.add_argument("--user", default="tiepnhan1")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    from PySide6.QtCore import QSettings  # fresh UI state: what a first start looks like

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    use_inline_executor(True)
    services = Services.build(Database(make_url(args.db)), FixedClock(parse_moment(args.now)))
    actor = services.office.actor_for(args.user)
    window = MainWindow(services, actor)
    window.resize(1366, 768)
    window.show()
    settle(app)
    window.grab().save(str(out / "queue.png"))
    page = window.page(PAGE_QUEUE)
    page.table.selectRow(0)
    code = page.model.row_at(0).code
    window.show_page(PAGE_INTAKE)
    intake = window.page(PAGE_INTAKE)
    intake.edits["applicant_name"].setText("Nguyễn Thị Ánh Tuyết")
    intake.edits["applicant_id_number"].setText("05209000123")
    intake.edits["applicant_address"].setText("Thôn Phú Mỹ, xã Bình Tân, huyện Tây Sơn, tỉnh Bình Định")
    intake.edits["applicant_phone"].setText("0912 345 678")
    intake.edits["applicant_id_number"].editingFinished.emit()
    intake.picker.setText("khai sinh")
    intake.picker.choose_first()
    intake.papers.toggle(0)
    settle(app)
    window.grab().save(str(out / "intake.png"))
    window.show_page(PAGE_REPORTS)
    settle(app)
    window.grab().save(str(out / "reports.png"))
    dialog = window.open_case(code)
    dialog.resize(1100, 680)
    settle(app)
    dialog.grab().save(str(out / "case_info.png"))
    dialog.tabs.setCurrentIndex(2)
    settle(app)
    dialog.grab().save(str(out / "case_timeline.png"))
    dialog.tabs.setCurrentIndex(3)
    settle(app)
    dialog.grab().save(str(out / "case_deadline.png"))
    dialog.close()
    window.close()
    print("saved to", out.resolve(), "case", code, Qt.AlignmentFlag.AlignLeft and "")


if __name__ == "__main__":
    main()
