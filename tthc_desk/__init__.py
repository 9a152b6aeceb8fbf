"""TTHC Desk core: domain rules, deadline engine, storage, services and CLI. Never imports Qt."""

__version__ = "0.1.0"
