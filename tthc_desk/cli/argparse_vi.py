"""Vietnamese for argparse's own words: usage, section titles, the help option and every error it prints.

How. argparse finds each message it prints by calling its module-level `_` (gettext) and `ngettext` with the
English text (the msgid), at the moment it needs the text. `VietnameseArgumentParser` installs, once,
stand-ins for those two names that look the msgid up in `MESSAGES`, but only while one of its methods is
running (a context variable, so per thread); everywhere else, and for any msgid missing from the table (a
newer Python's message), they answer as gettext does: the English text, never an error.

Why not the alternatives. A gettext catalogue (.mo) is a built file chosen by the user's locale variables,
and argparse looks its messages up in gettext's global default domain, so it would answer for every other
module that uses gettext too. Overriding `error()` and the formatter instead only sees finished English sentences (a
regular expression per message, breaking on any rewording), and most errors are raised deep inside private
methods. Replacing `argparse._` for good would turn every other parser in the process (pytest's, a
library's) Vietnamese as well; the context variable keeps the change to ours.

Two things never pass through gettext, so the parser handles them itself: the type name in "invalid int
value" (`int` and `float` get Vietnamese converters through argparse's `register("type", …)`), and the default
help of `action="version"`.

Subparsers made by `add_subparsers().add_parser()` are built with the parent's class, so setting the class on
the top-level parser is enough. With `exit_on_error=False` the caller formats the `ArgumentError` itself:
do that inside `vietnamese()`.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import Any

# argparse's msgids (Python 3.12) -> Vietnamese, with the English's %-placeholders (unnamed ones in order).
# tests/test_cli_argparse_vi.py reads argparse's source and names any msgid missing here.
MESSAGES: dict[str, str] = {
    # help text
    "usage: ": "cách dùng: ",
    "positional arguments": "đối số vị trí",
    "options": "tùy chọn",
    "subcommands": "lệnh con",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "show program's version number and exit": "hiện số phiên bản rồi thoát",
    # what the user typed
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "đối số %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "giá trị không hợp lệ: %(value)r (chọn một trong: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r (cần kiểu %(type)s)",
    "the following arguments are required: %s": "thiếu các đối số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các đối số: %s",
    "unrecognized arguments: %s": "không nhận ra các đối số: %s",
    "not allowed with argument %s": "không được dùng cùng với đối số %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị: %r",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "chỉ nhận tối đa một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s chưa rõ, có thể là: %(matches)s",
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (chọn một trong: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được tệp '%(filename)s': %(error)s",
    # mistakes in the parser's own definition (raised to the programmer, found by the tests)
    ".__call__() not defined": ".__call__() chưa được định nghĩa",
    "conflicting subparser: %s": "trùng tên lệnh con: %s",
    "conflicting subparser alias: %s": "trùng tên gọi khác của lệnh con: %s",
    'argument "-" with mode %r': 'không dùng được đối số "-" với chế độ mở tệp %r',
    "cannot merge actions - two groups are named %r": "không gộp được các đối số: có hai nhóm cùng tên %r",
    "'required' is an invalid argument for positionals": "không dùng được 'required' cho đối số vị trí",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": "tên tùy chọn %(option)r không hợp lệ: phải bắt đầu bằng ký tự %(prefix_chars)r",
    "dest= is required for options like %r": "cần khai báo dest= cho tùy chọn dạng %r",
    "invalid conflict_resolution value: %r": "giá trị conflict_resolution không hợp lệ: %r",
    "conflicting option string: %s": "trùng tên tùy chọn: %s",
    "conflicting option strings: %s": "trùng tên tùy chọn: %s",
    "mutually exclusive arguments must be optional": "các đối số loại trừ nhau phải là tùy chọn",
    "cannot have multiple subparser arguments": "chỉ được có một nhóm lệnh con",
    "%r is not callable": "%r không phải là hàm gọi được",
}

# what `type=` converters expect, said in Vietnamese ("invalid int value" names the Python type otherwise)
TYPE_NAMES: dict[type, str] = {int: "một số nguyên", float: "một số"}

_speaking = contextvars.ContextVar("argparse_vi_speaking", default=False)


def gettext_vi(message: str) -> str:
    """argparse's message in Vietnamese; the English text when the table has none."""
    return MESSAGES.get(message, message)


def _install() -> None:
    """Put the stand-ins in argparse's namespace (once); outside `vietnamese()` they call the originals."""
    if getattr(argparse._, "__module__", None) == __name__:
        return
    english_gettext, english_ngettext = argparse._, argparse.ngettext

    def gettext(message: str) -> str:
        return MESSAGES.get(message, message) if _speaking.get() else english_gettext(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        found = MESSAGES.get(singular if n == 1 else plural) if _speaking.get() else None
        return english_ngettext(singular, plural, n) if found is None else found

    argparse._, argparse.ngettext = gettext, ngettext


@contextlib.contextmanager
def vietnamese() -> Iterator[None]:
    """While inside, argparse speaks Vietnamese (in this thread only)."""
    _install()
    token = _speaking.set(True)
    try:
        yield
    finally:
        _speaking.reset(token)


def _typed(convert: Callable[[str], Any], expected: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return convert(text)
        except (TypeError, ValueError):
            raise argparse.ArgumentTypeError(f"giá trị không hợp lệ: {text!r} (cần {expected})") from None

    return parse


def _in_vietnamese(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with vietnamese():
            return method(*args, **kwargs)

    return wrapper


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An `ArgumentParser` whose own words are Vietnamese; the subparsers it makes are of this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for python_type, expected in TYPE_NAMES.items():
            self.register("type", python_type, _typed(python_type, expected))

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if kwargs.get("action") == "version":  # argparse 3.12 does not pass this default help through gettext
            kwargs.setdefault("help", gettext_vi("show program's version number and exit"))
        return super().add_argument(*args, **kwargs)


# Every place argparse looks a message up is reached through one of these: building the parser (section
# titles, the help option), parsing (each error; a subparser parses inside its parent's call), help and usage.
_ENTRY_POINTS = (
    "__init__",
    "add_argument",
    "add_subparsers",
    "parse_args",
    "parse_known_args",
    "parse_intermixed_args",
    "parse_known_intermixed_args",
    "format_usage",
    "format_help",
    "error",
)
for _name in _ENTRY_POINTS:
    setattr(VietnameseArgumentParser, _name, _in_vietnamese(getattr(VietnameseArgumentParser, _name)))
