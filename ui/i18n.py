"""Vietnamese for the window: locale, Qt's own strings (buttons, edit menus) and display formats."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

DATE_FORMAT = "dd/MM/yyyy"
TIME_FORMAT = "HH:mm"
DATETIME_FORMAT = "HH:mm dd/MM/yyyy"

# Qt ships no Vietnamese catalogue: its standard buttons and context menus get their words here.
QT_WORDS = {
    "OK": "Đồng ý", "&OK": "Đồng ý", "Cancel": "Hủy", "&Cancel": "Hủy", "Yes": "Có", "&Yes": "Có",
    "No": "Không", "&No": "Không", "Yes to &All": "Có với tất cả", "N&o to All": "Không với tất cả",
    "Close": "Đóng", "&Close": "Đóng", "Save": "Lưu", "&Save": "Lưu", "Apply": "Áp dụng", "Reset": "Đặt lại",
    "Discard": "Bỏ qua", "Don't Save": "Không lưu", "Help": "Trợ giúp", "Abort": "Hủy bỏ", "Retry": "Thử lại",
    "Ignore": "Bỏ qua", "Open": "Mở", "Show Details...": "Hiện chi tiết...", "Hide Details...": "Ẩn chi tiết...",
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "&Cắt", "&Copy": "&Sao chép", "&Paste": "&Dán",
    "Delete": "Xóa", "Select All": "Chọn tất cả", "Copy &Link Location": "Sao chép địa chỉ liên kết",
    # QAbstractSpinBox's menu (every spin box and date/time field): its own Select All, then the two steps
    "&Select All": "Chọn tất cả", "&Step up": "&Tăng lên", "Step &down": "&Giảm xuống",
}


class QtWordsTranslator(QTranslator):
    """Answers Qt's own lookups (QPlatformTheme, QDialogButtonBox, QLineEdit, …) with Vietnamese words."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401 - Qt override
        if context == "TTHCDesk":  # our own strings are already Vietnamese
            return None
        return QT_WORDS.get(source_text)  # None (a null string): Qt keeps looking / keeps the source text

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


_translator: QtWordsTranslator | None = None


def install_vietnamese(app: QCoreApplication) -> None:
    """Vietnamese locale for number/date widgets and Vietnamese words for Qt's standard texts."""
    global _translator
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    if _translator is None:
        _translator = QtWordsTranslator(app)
        app.installTranslator(_translator)


def tr(text: str, **values) -> str:
    """Translate through Qt (context 'TTHCDesk'), then fill named placeholders: tr("còn {n} hồ sơ", n=3)."""
    out = QCoreApplication.translate("TTHCDesk", text)
    return out.format(**values) if values else out


def fmt_date(value: date | datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def fmt_datetime(value: datetime | None) -> str:
    """'14:30 05/02/2025' — time first, as the forms and the desk write it."""
    return value.strftime("%H:%M %d/%m/%Y") if value else "—"


def fmt_number(value: float, decimals: int = 0) -> str:
    """Vietnamese grouping and decimal marks: 19.150 ; 93,96."""
    return QLocale().toString(float(value), "f", decimals) if decimals else QLocale().toString(int(value))


def fmt_percent(value: float, decimals: int = 2) -> str:
    """'93,96 %' (Vietnamese writes a space before the sign)."""
    return f"{fmt_number(value, decimals)} %"
