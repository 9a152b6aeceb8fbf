"""The Qt desktop window of TTHC Desk (widgets only: every rule and every query lives in tthc_desk/)."""
