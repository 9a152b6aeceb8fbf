"""TTHC Desk: `python main.py` opens the window (`--demo`: the demo office), `python main.py COMMAND` runs
the command line. The composition root is `desk_main` (see there)."""

import sys

from desk_main import main

if __name__ == "__main__":
    sys.exit(main())
