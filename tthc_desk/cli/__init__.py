"""The `tthc-desk` command line (also `python main.py <command>`)."""

from tthc_desk.cli.main import main

__all__ = ["main"]
