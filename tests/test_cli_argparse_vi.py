"""The command line speaks Vietnamese entirely: argparse's own words (usage, section titles, the help option,
every error) included, for `tthc-desk` and for the window's launcher; other parsers in the process keep theirs."""

from __future__ import annotations

import argparse
import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import desk_main
from tthc_desk.cli import main as cli
from tthc_desk.cli.argparse_vi import MESSAGES, VietnameseArgumentParser, vietnamese
from tthc_desk.cli.main import build_parser


@pytest.fixture(autouse=True)
def _terminal_width(monkeypatch) -> None:
    """argparse wraps help to the terminal's width (COLUMNS): the same lines whatever terminal runs the tests."""
    monkeypatch.setenv("COLUMNS", "100")

# argparse's English as a user would see it; none of it may reach the screen
ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help",
    "error:",
    "argument",
    "invalid",
    "choose from",
    "required",
    "expected",
    "unrecognized",
    "not allowed",
    "ambiguous",
    "subcommands",
)
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-z%]")


def run(*argv: str, capsys) -> tuple[int, str, str]:
    """Run the command line until argparse stops it (help, or a mistake in the arguments)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        cli(list(argv))
    out, err = capsys.readouterr()
    return stopped.value.code, out, err


def refused(*argv: str, capsys) -> str:
    """The last line argparse prints for a refused command line: exit 2, usage then the reason on stderr."""
    code, out, err = run(*argv, capsys=capsys)
    assert (code, out) == (2, ""), (argv, out, err)
    assert err.startswith("cách dùng: tthc-desk"), err
    assert not [word for word in ENGLISH if word in err], err
    return err.rstrip("\n").splitlines()[-1]


def parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases share a parser
                yield from parsers(sub)


def argparse_msgids() -> set[str]:
    """Every message argparse's source passes to `_()` or `ngettext()` (both forms of a plural)."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "ngettext")
        ):
            for arg in node.args[: 2 if node.func.id == "ngettext" else 1]:
                if isinstance(arg, ast.Call) and len(arg.args) == 2:  # _(kwargs.pop('title', 'subcommands'))
                    arg = arg.args[1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def test_top_level_help_is_vietnamese(capsys) -> None:
    code, out, err = run("--help", capsys=capsys)
    assert (code, err) == (0, "")
    words = " ".join(out.split())  # the same at any terminal width
    assert words.startswith(
        "cách dùng: tthc-desk [-h] [--db TỆP_HOẶC_URL] [--data-dir THƯ_MỤC] [--now THỜI_ĐIỂM] "
        "[--user TÊN_ĐĂNG_NHẬP] LỆNH ..."
    )
    assert "\nđối số vị trí:\n  LỆNH\n" in out and "\ntùy chọn:\n" in out
    assert " -h, --help hiện trợ giúp này rồi thoát " in words
    assert not [word for word in ENGLISH if word in out], out


def test_a_subcommands_help_is_vietnamese(capsys) -> None:
    code, out, _ = run("user", "add", "--help", capsys=capsys)
    assert code == 0
    words = " ".join(out.split())  # the same at any terminal width
    assert words.startswith(
        "cách dùng: tthc-desk user add [-h] --name HỌ_TÊN --role {desk,specialist,leader,admin} "
        "--password MẬT_KHẨU [--unit SỐ_HIỆU] [--title CHỨC_DANH] TÊN_ĐĂNG_NHẬP "
    )
    assert "\nđối số vị trí:\n  TÊN_ĐĂNG_NHẬP\n" in out and "hiện trợ giúp này rồi thoát" in words
    assert not [word for word in ENGLISH if word in out], out


def test_every_parser_is_vietnamese_and_its_help_has_no_english_argparse_words() -> None:
    everyone = list(parsers(build_parser()))
    assert len(everyone) > 30
    for parser in everyone:
        assert isinstance(parser, VietnameseArgumentParser), parser.prog
        text = parser.format_help()
        assert text.startswith("cách dùng: ") and "tùy chọn:" in text, parser.prog
        assert not [word for word in ENGLISH if word in text], (parser.prog, text)


def takes_a_value(action: argparse.Action) -> bool:
    """What the user types a value for, so usage and help show a placeholder for it."""
    return action.nargs != 0 and not isinstance(action, (argparse._HelpAction, argparse._VersionAction))


def test_every_value_has_a_vietnamese_placeholder() -> None:
    """Left to itself argparse shows the option's English name (`--db DB`, `username`): every option or
    positional that takes a value says `metavar=` in Vietnamese, upper case, words joined by "_" (or lists
    its `choices`)."""
    missing, not_styled = [], []
    for parser in [*parsers(build_parser()), desk_main.gui_parser()]:
        for action in parser._actions:
            if not takes_a_value(action) or action.choices is not None:
                continue
            where = f"{parser.prog} {'/'.join(action.option_strings) or action.dest}"
            if action.metavar is None:
                missing.append(where)
                continue
            for word in action.metavar if isinstance(action.metavar, tuple) else (action.metavar,):
                if word != word.upper() or " " in word or word.lower() == action.dest.lower():
                    not_styled.append(f"{where}: {word!r}")
    assert not missing, f'add metavar="…" (Vietnamese) to: {missing}'
    assert not not_styled, (
        f"a placeholder is upper case, words joined by '_', not the English name: {not_styled}"
    )


def placeholders(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Each value's placeholder by command and option (or dest): `tthc-desk case show code` -> MÃ_HỒ_SƠ."""
    return {
        f"{parser.prog} {action.option_strings[-1] if action.option_strings else action.dest}": action.metavar
        for action in parser._actions
        if takes_a_value(action) and action.choices is None
    }


def test_the_same_thing_has_the_same_placeholder_everywhere() -> None:
    """One word for one meaning: a file is TỆP, a case code MÃ_HỒ_SƠ, a moment THỜI_ĐIỂM in every command."""
    shown = {k: v for parser in parsers(build_parser()) for k, v in placeholders(parser).items()}
    same = {
        "TỆP": (
            "catalogue import file",
            "case import file",
            "case import --mapping",
            "case import --save-rejected",
            "case export file",
            "register export file",
            "print --output",
            "letter --output",
            "report --xlsx",
        ),
        "MÃ_HỒ_SƠ": ("case show code", "case transfer code", "case new --code", "case import --take-file"),
        "THỜI_ĐIỂM": (
            "--now",
            "case new --received",
            "deadline --received",
            "case extend --new-due",
            "case export --changed-since",
        ),
        "NGÀY": ("calendar set day", "report --from", "report --to"),
        "TÊN_ĐĂNG_NHẬP": ("--user", "user add username", "user password username", "queue --officer"),
        "MẬT_KHẨU": ("init --admin-password", "user add --password", "user password --password"),
        "ĐƠN_VỊ": ("queue --unit", "case transfer --unit", "user set --unit", "catalogue set --lead-unit"),
        "MÃ_THỦ_TỤC": ("case new --procedure", "catalogue show code", "catalogue set --new-code"),
        "HỌ_TÊN": ("user add --name", "case new --applicant", "case correct --owner", "init --head-name"),
    }
    for metavar, places in same.items():
        assert {place: shown[f"tthc-desk {place}"] for place in places} == dict.fromkeys(places, metavar)
    every_case_action = {"code": "MÃ_HỒ_SƠ", "--reason": "LÝ_DO", "--note": "GHI_CHÚ"}
    for place, metavar in shown.items():
        command, _, name = place.rpartition(" ")
        if command.startswith("tthc-desk case ") and name in every_case_action:
            assert metavar == every_case_action[name], place
    window = placeholders(desk_main.gui_parser())  # the window's launcher says it as the command line does
    assert window and window == {place: shown[place] for place in window}


def test_an_invalid_role_lists_the_choices_in_vietnamese(capsys) -> None:
    assert refused("user", "add", "x", "--role", "xyz", capsys=capsys) == (
        "tthc-desk user add: lỗi: đối số --role: giá trị không hợp lệ: 'xyz' "
        "(chọn một trong: 'desk', 'specialist', 'leader', 'admin')"
    )


def test_an_unknown_command_lists_the_commands_in_vietnamese(capsys) -> None:
    line = refused("xyz", capsys=capsys)
    assert line.startswith(
        "tthc-desk: lỗi: đối số LỆNH: giá trị không hợp lệ: 'xyz' (chọn một trong: 'init', "
    )


def test_missing_required_arguments(capsys) -> None:
    assert refused("user", "add", "x", capsys=capsys) == (
        "tthc-desk user add: lỗi: thiếu các đối số bắt buộc: --name, --role, --password"
    )
    assert refused("user", capsys=capsys) == "tthc-desk user: lỗi: thiếu các đối số bắt buộc: THAO_TÁC"


def test_an_unknown_flag(capsys) -> None:
    assert refused("queue", "--bogus", capsys=capsys) == "tthc-desk: lỗi: không nhận ra các đối số: --bogus"


def test_a_bad_number(capsys) -> None:
    assert refused("queue", "--limit", "abc", capsys=capsys) == (
        "tthc-desk queue: lỗi: đối số --limit: giá trị không hợp lệ: 'abc' (cần một số nguyên)"
    )
    assert refused(
        "deadline", "--received", "2025-03-03 08:00", "--unit", "wd", "--amount", "x", capsys=capsys
    ) == ("tthc-desk deadline: lỗi: đối số --amount: giá trị không hợp lệ: 'x' (cần một số)")


def test_a_missing_value_a_value_not_taken_and_options_that_exclude_each_other(capsys) -> None:
    assert refused("--db", capsys=capsys) == "tthc-desk: lỗi: đối số --db: cần một giá trị"
    assert refused("queue", "--json=yes", capsys=capsys) == (
        "tthc-desk queue: lỗi: đối số --json: tùy chọn này không nhận giá trị: 'yes'"
    )
    assert refused(
        "report", "--from", "2025-01-01", "--to", "2025-01-31", "--json", "--xlsx", "b.xlsx", capsys=capsys
    ) == ("tthc-desk report: lỗi: đối số --xlsx: không được dùng cùng với đối số --json")


def test_an_ambiguous_option_and_a_version_option(capsys) -> None:
    parser = VietnameseArgumentParser(prog="thu")
    parser.add_argument("--limit")
    parser.add_argument("--lines")
    parser.add_argument("--version", action="version", version="thu 1.0")
    assert "  --version      hiện số phiên bản rồi thoát" in parser.format_help()
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(["--version"])
    assert (stopped.value.code, capsys.readouterr().out) == (0, "thu 1.0\n")
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(["--li", "1"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.endswith("thu: lỗi: tùy chọn --li chưa rõ, có thể là: --limit, --lines\n")


def test_the_window_launchers_help_and_errors_are_vietnamese(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        desk_main.gui_arguments(["--demo", "--help"])
    out = capsys.readouterr().out
    assert stopped.value.code == 0 and out.startswith("cách dùng: tthc-desk [-h] [--demo]")
    assert "\ntùy chọn:\n" in out and not [word for word in ENGLISH if word in out], out
    with pytest.raises(SystemExit) as stopped:
        desk_main.gui_arguments(["--db"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.endswith("tthc-desk: lỗi: đối số --db: cần một giá trị\n")


def test_every_argparse_message_has_a_vietnamese_translation() -> None:
    """A Python upgrade that adds a message fails here, naming it: add it to MESSAGES."""
    msgids = argparse_msgids()
    assert len(msgids) > 30 and "usage: " in msgids and "subcommands" in msgids  # the source was read
    missing = sorted(msgids - MESSAGES.keys())
    assert not missing, f"argparse messages with no Vietnamese in tthc_desk/cli/argparse_vi.py: {missing}"


def test_each_translation_keeps_the_placeholders_of_its_message() -> None:
    """Named ones in any order, unnamed ones (`%s`, `%r`) in the same order: else formatting fails."""

    def placeholders(text: str) -> tuple[list[str], list[str]]:
        found = PLACEHOLDER.findall(text)
        return sorted(p for p in found if p.startswith("%(")), [p for p in found if not p.startswith("%(")]

    for msgid, vietnamese_text in MESSAGES.items():
        assert placeholders(vietnamese_text) == placeholders(msgid), msgid


def test_an_unknown_message_falls_back_to_english() -> None:
    build_parser()  # installs the look-ups
    with vietnamese():
        assert argparse._("a message from a newer Python") == "a message from a newer Python"
        assert argparse.ngettext("%s new thing", "%s new things", 2) == "%s new things"
        assert argparse._("usage: ") == "cách dùng: "
        assert argparse.ngettext("expected %s argument", "expected %s arguments", 3) == "cần %s giá trị"


def test_other_parsers_in_the_process_keep_their_english(capsys) -> None:
    build_parser()
    plain = argparse.ArgumentParser(prog="plain")
    plain.add_argument("--n", type=int)
    assert (
        plain.format_help().startswith("usage: plain")
        and "show this help message and exit" in plain.format_help()
    )
    with pytest.raises(SystemExit):
        plain.parse_args(["--n", "x"])
    assert capsys.readouterr().err.endswith("plain: error: argument --n: invalid int value: 'x'\n")
