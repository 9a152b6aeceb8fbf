"""Reports for the chairs (DOMAIN §7): Biểu II.06a, on-time rates, accountability, apologies, flags, drill-down.

Qt-free. Start from `ReportService` (services.reports); exports live in `xlsx`, `pdf` and `letter`.
"""

from tthc_desk.reports.drill import ALL, FIGURES, DrillCriteria, DrillRow
from tthc_desk.reports.figures import Counts, Rate, Report, ReportRow, late_rate, online_share, rates
from tthc_desk.reports.numbers import fmt_decimal, fmt_int, fmt_pct
from tthc_desk.reports.period import Period, month, parse_month, preset

__all__ = [
    "ALL", "FIGURES", "Counts", "DrillCriteria", "DrillRow", "Period", "Rate", "Report", "ReportRow",
    "fmt_decimal", "fmt_int", "fmt_pct", "late_rate", "month", "online_share", "parse_month", "preset", "rates",
]
