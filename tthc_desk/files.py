"""The files the application writes for its users (exports, reports, letters, documents): whole or not at all.

Every such file is written under a temporary name beside its target and moved over the target only when
complete, so an error half way (a full disk, the database going away, Hủy) never leaves a truncated file that
could pass for a whole one, and an earlier file of that name stays as it was. What the system refuses is said
in Vietnamese (`ExportFailed`): a file held open by Excel or Word (Windows refuses to replace it), a missing
folder, a read-only folder, a full disk.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from tthc_desk.errors import ExportFailed

log = logging.getLogger(__name__)


@contextlib.contextmanager
def written_whole(path: str | os.PathLike, *, make_folder: bool = False) -> Iterator[Path]:
    """Yield the temporary path to write; move it onto `path` when the block ends without an error.

    The temporary file is created by the writer (not `mkstemp`, whose 0600 would stay on the finished file),
    so it gets the permissions of any file the user saves. `make_folder` creates a missing folder first (the
    application's own document folders); otherwise a missing folder is said as such. An `OSError` inside the
    block, or an error wrapping one (xlsxwriter's `FileCreateError`), becomes `ExportFailed`; any other error
    passes unchanged. The temporary file is removed in every case."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.urandom(4).hex()}.part")
    try:
        if make_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
        yield temporary
        os.replace(temporary, target)
    except Exception as exc:
        cause = _os_error(exc)
        if cause is None:
            raise
        raise not_written(target, cause) from exc
    finally:
        with contextlib.suppress(OSError):  # gone already once moved into place
            temporary.unlink(missing_ok=True)


def write_bytes_whole(data: bytes, path: str | os.PathLike, *, make_folder: bool = False) -> Path:
    """`data` written to `path` whole or not at all (`written_whole`); the path."""
    with written_whole(path, make_folder=make_folder) as temporary:
        temporary.write_bytes(data)
    return Path(path)


def refuse_overwriting(target: str | os.PathLike, source: str | os.PathLike, what: str) -> None:
    """`ExportFailed` when `target` is the file `source` (the file being imported): a save over it (a slip in
    the name) would lose the file the user took from the portal. `what`: what was to be saved, in words."""
    a, b = Path(target), Path(source)
    try:
        same = a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        same = False
    if same or a.resolve() == b.resolve():
        raise ExportFailed(f"Không ghi {what} đè lên tệp đang nhập '{b.name}': hãy chọn tên tệp khác.")


def why_not_read(exc: OSError) -> str:
    """Why a file could not be opened or read, in words: the system's own (`strerror`) are English ("No such file or
    directory"); they go to the log, with its error code for whoever looks into a rarer one."""
    log.warning("cannot open %s: %s", exc.filename, exc)
    if isinstance(exc, FileNotFoundError):
        return "không tìm thấy tệp (có thể đã bị xóa, đổi tên hoặc chuyển sang thư mục khác)"
    if isinstance(exc, IsADirectoryError):
        return "đây là một thư mục, không phải tệp"
    if isinstance(exc, PermissionError):
        return "không có quyền đọc tệp, hoặc tệp đang bị chương trình khác giữ; hãy đóng tệp rồi thử lại"
    code = errno.errorcode.get(exc.errno or 0)
    return f"lỗi của hệ thống tệp{f' ({code})' if code else ''}; hãy chép tệp vào máy rồi nhập lại"


def not_written(target: Path, exc: OSError) -> ExportFailed:
    """The plain message for a file the system would not let us write."""
    if isinstance(exc, PermissionError):
        holder = _HOLDERS.get(target.suffix.lower(), "chương trình khác")
        reason = f"tệp đang mở trong {holder} hoặc thư mục không cho ghi; hãy đóng tệp rồi thử lại"
    elif isinstance(exc, FileNotFoundError):
        reason = f"không có thư mục '{target.parent}'"
    elif isinstance(exc, IsADirectoryError):
        reason = "đã có một thư mục trùng tên"
    elif exc.errno == errno.ENOSPC:
        reason = "ổ đĩa đã đầy"
    else:  # (the system's words are English: they go to the log, its error code to the user)
        log.warning("cannot write %s: %s", target, exc)
        code = errno.errorcode.get(exc.errno or 0)
        reason = f"lỗi của hệ thống tệp{f' ({code})' if code else ''}"
    return ExportFailed(f"Không ghi được tệp '{target.name}': {reason}.")


_HOLDERS = {".xlsx": "Excel", ".xls": "Excel", ".csv": "Excel", ".docx": "Word", ".pdf": "trình đọc PDF"}


def _os_error(exc: BaseException) -> OSError | None:
    if isinstance(exc, OSError):
        return exc
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, OSError) else None
