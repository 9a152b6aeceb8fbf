"""The Qt desktop window of TTHC Desk (widgets only: every rule and every query lives in tthc_desk/)."""

from ui.pyside_hook import quiet_feature_hook

quiet_feature_hook()  # before any other module is imported after PySide6: see ui/pyside_hook.py
