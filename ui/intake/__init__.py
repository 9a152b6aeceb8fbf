"""The intake form (Tiếp nhận) and its receipt."""
