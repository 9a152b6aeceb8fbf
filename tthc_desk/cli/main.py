"""Argument parsing and dispatch. Each command group lives in its own module with a `register()`."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import traceback

from tthc_desk.cli.argparse_vi import VietnameseArgumentParser
from tthc_desk.errors import DeskError
from tthc_desk.text import nfc

# command groups; each module has register(subparsers)
COMMAND_MODULES = [
    "tthc_desk.cli.setup_cmds",
    "tthc_desk.cli.case_cmds",
    "tthc_desk.cli.admin_cmds",
    "tthc_desk.cli.office_cmds",
]
OPTIONAL_MODULES = [
    "tthc_desk.cli.sync_cmds",
    "tthc_desk.cli.print_cmds",
    "tthc_desk.cli.report_cmds",
]


def build_parser() -> argparse.ArgumentParser:
    parser = VietnameseArgumentParser(
        prog="tthc-desk",
        description="TTHC Desk — phần mềm Bộ phận Một cửa (dòng lệnh). Không có lệnh thì mở cửa sổ.",
    )
    parser.add_argument(
        "--db", metavar="TỆP_HOẶC_URL", help="tệp SQLite hoặc URL PostgreSQL (postgresql+psycopg://…)"
    )
    parser.add_argument(
        "--data-dir", metavar="THƯ_MỤC", help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng)"
    )
    parser.add_argument("--now", metavar="THỜI_ĐIỂM", help='đặt giờ hệ thống để thử: "YYYY-MM-DD HH:MM"')
    parser.add_argument(
        "--user",
        default="admin",
        metavar="TÊN_ĐĂNG_NHẬP",
        help="tên đăng nhập người thực hiện (mặc định admin)",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for name in OPTIONAL_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    argv = [nfc(a) for a in (sys.argv[1:] if argv is None else argv)]
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        result = args.func(args)
    except DeskError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        if getattr(args, "json", False):  # a program reading the JSON gets an answer too
            from tthc_desk.cli.context import emit_json

            emit_json({"error": exc.message})
        return 2
    except BrokenPipeError:  # output piped into `head`
        return 0
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print("Lỗi không mong đợi (chi tiết ở trên).", file=sys.stderr)
        return 1
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
