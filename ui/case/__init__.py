"""The case view (Hồ sơ) and one small dialog per case action."""
