"""Files written for the user are whole or absent: an earlier file survives any failure, what the system refuses
is said in Vietnamese, and no temporary file is left beside the target."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from tthc_desk import files
from tthc_desk.errors import Cancelled, ExportFailed
from tthc_desk.files import write_bytes_whole, written_whole


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _refuse_replace(monkeypatch, exc: OSError) -> None:
    def refuse(_src, _dst):
        raise exc

    monkeypatch.setattr(files.os, "replace", refuse)


def test_the_file_appears_whole_with_the_permissions_of_any_saved_file(tmp_path):
    target = tmp_path / "bao-cao.pdf"
    with written_whole(target) as temporary:
        assert temporary.parent == tmp_path and temporary.name.startswith(".bao-cao.pdf.")
        temporary.write_bytes(b"first half, ")
        assert not target.exists()  # nothing at the target until the file is complete
        with temporary.open("ab") as fh:
            fh.write(b"second half")
    assert target.read_bytes() == b"first half, second half"
    assert _leftovers(tmp_path) == []
    if os.name == "posix":
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_a_failure_while_writing_keeps_the_earlier_file_and_passes_the_error_on(tmp_path):
    target = tmp_path / "so.xlsx"
    target.write_bytes(b"the earlier, complete file")
    with pytest.raises(ValueError, match="bad row"), written_whole(target) as temporary:
        temporary.write_bytes(b"half")
        raise ValueError("bad row")
    assert target.read_bytes() == b"the earlier, complete file"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("error", [ExportFailed("đã nói rõ"), Cancelled("Đã hủy")], ids=["export-failed", "cancelled"])
def test_the_application_s_own_errors_pass_unchanged(tmp_path, error):
    with pytest.raises(type(error)) as raised, written_whole(tmp_path / "x.xlsx") as temporary:
        temporary.write_bytes(b"x")
        raise error
    assert raised.value is error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("exc", "said"), [
    (PermissionError(errno.EACCES, "Permission denied"), "tệp đang mở trong Excel hoặc thư mục không cho ghi"),
    (OSError(errno.ENOSPC, "No space left on device"), "ổ đĩa đã đầy"),
    (OSError(errno.EIO, "Input/output error"), "lỗi của hệ thống tệp (EIO)"),  # the system's words are English
], ids=["held-open", "disk-full", "io-error"])
def test_a_refused_move_is_said_plainly_and_the_earlier_file_stays(tmp_path, monkeypatch, exc, said):
    """Windows refuses to replace a file Excel or Word holds open: the user is told to close it."""
    target = tmp_path / "bieu.xlsx"
    target.write_bytes(b"earlier")
    _refuse_replace(monkeypatch, exc)
    with pytest.raises(ExportFailed) as raised:
        write_bytes_whole(b"new", target)
    assert raised.value.message.startswith("Không ghi được tệp 'bieu.xlsx': ") and said in raised.value.message
    assert target.read_bytes() == b"earlier"
    assert _leftovers(tmp_path) == []


def test_an_error_wrapping_a_system_error_is_said_plainly(tmp_path):
    """xlsxwriter reports a file it cannot create as FileCreateError(<the OSError>)."""

    class LibraryError(Exception):
        pass

    with pytest.raises(ExportFailed, match="tệp đang mở"), written_whole(tmp_path / "a.xlsx"):
        raise LibraryError(PermissionError(errno.EACCES, "Permission denied"))


def test_a_missing_folder_is_named_or_made(tmp_path):
    missing = tmp_path / "khong-co" / "a.pdf"
    with pytest.raises(ExportFailed) as raised:
        write_bytes_whole(b"%PDF", missing)
    assert raised.value.message == f"Không ghi được tệp 'a.pdf': không có thư mục '{missing.parent}'."
    assert not missing.parent.exists()
    assert write_bytes_whole(b"%PDF", missing, make_folder=True).read_bytes() == b"%PDF"


def test_a_folder_of_the_same_name_is_said(tmp_path):
    (tmp_path / "a.pdf").mkdir()
    with pytest.raises(ExportFailed) as raised:
        write_bytes_whole(b"%PDF", tmp_path / "a.pdf")
    assert "thư mục" in raised.value.message
    assert _leftovers(tmp_path) == []


def test_a_file_that_cannot_be_read_is_said_in_vietnamese(tmp_path, monkeypatch):
    """The catalogue's CSV reader passed on the system's own English words ("Input/output error")."""
    from pathlib import Path

    from tthc_desk.catalogue_files import read_catalogue
    from tthc_desk.errors import ImportFailed

    source = tmp_path / "danh_muc.csv"
    source.write_text("Mã thủ tục,Tên thủ tục\n", encoding="utf-8")

    def unreadable(*_a, **_k):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(Path, "read_text", unreadable)
    with pytest.raises(ImportFailed) as raised:
        read_catalogue(source)
    assert raised.value.message == ("Không đọc được tệp danh_muc.csv: lỗi của hệ thống tệp (EIO); hãy chép tệp "
                                    "vào máy rồi nhập lại.")
