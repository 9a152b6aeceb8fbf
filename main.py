"""TTHC Desk composition root: arguments -> paths -> logging -> database -> services -> window.

With a command (`python main.py queue --json`) it runs the command line and never opens a window.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from ui.launch import GUI_FLAGS

    if argv and not argv[0].startswith("-") or any(a in ("-h", "--help") for a in argv) and not set(argv) & GUI_FLAGS:
        from tthc_desk.cli import main as cli_main

        return cli_main(argv)
    from ui.launch import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
