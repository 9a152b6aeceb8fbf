"""Báo cáo: the chair's dashboard, Biểu II.06a, accountability, drill-down and exports."""
