"""TTHC Desk: `python main.py` opens the window (`--demo`: the demo office), `python main.py COMMAND` runs
the command line. The composition root is `desk_main` (see there)."""

import gc
import sys

gc.disable()  # until the window's first paint, or at once for a command (desk_main.main): see there

from desk_main import main  # noqa: E402 - after the collector is paused

if __name__ == "__main__":
    sys.exit(main())
