"""The in-process command-line runner the CLI tests share."""

from __future__ import annotations

import json
from pathlib import Path

from tthc_desk.cli import main as cli
from tthc_desk.clock import SystemClock
from tthc_desk.services import Services
from tthc_desk.storage.db import Database, make_url

NOW = "2025-03-03 08:00"


class Cli:
    """Runs commands in-process against one SQLite file, with the clock fixed."""

    def __init__(self, db: Path, capsys) -> None:
        self.db, self.capsys = db, capsys

    def __call__(self, *args: str, now: str = NOW, user: str = "admin") -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = cli(["--db", str(self.db), "--now", now, "--user", user, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str, **kw):
        code, out, err = self(*args, "--json", **kw)
        assert code == 0, err
        return json.loads(out)

    def refused(self, *args: str, **kw) -> str:
        """Run a command that must be refused: exit 2, nothing on stdout, the reason on stderr."""
        code, out, err = self(*args, **kw)
        assert (code, out) == (2, ""), (args, out, err)
        assert err.startswith("Lỗi: "), err
        return err

    def services(self) -> Services:
        return Services.build(Database(make_url(self.db)), SystemClock())
