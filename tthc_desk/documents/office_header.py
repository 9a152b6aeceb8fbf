"""From the office's settings to what its documents print: letterheads, signers, its name in running text.

Qt-free and reportlab-free (only the plain dataclasses), so services and reports share it cheaply."""

from __future__ import annotations

from tthc_desk.documents.data import Letterhead, Signer
from tthc_desk.storage.models import Office
from tthc_desk.text import nfc

_ADMIN_WORDS = {"huyện", "xã", "tỉnh", "quận", "phường", "thị", "trấn", "thành", "phố"}


def desk_letterhead(office: Office) -> Letterhead:
    """The desk's forms: parent body lines, then the desk itself as issuing body."""
    return Letterhead(parent_lines=tuple(nfc(ln) for ln in office.parent_body.splitlines() if ln.strip()),
                      issuing_body=nfc(office.issuing_body), place=nfc(office.place_name), office_code=office.code,
                      desk_name=nfc(office.name))


def issuer_letterhead(office: Office) -> Letterhead:
    """Letters issued by the parent body itself (apology, monthly letter): ỦY BAN NHÂN DÂN / HUYỆN TÂY SƠN in
    bold, no line above."""
    body = nfc(office.parent_body) or nfc(office.issuing_body) or nfc(office.name)
    return Letterhead(parent_lines=(), issuing_body=body, place=nfc(office.place_name), office_code=office.code,
                      desk_name=nfc(office.name))


def running_name(office: Office) -> str:
    """'ỦY BAN NHÂN DÂN\\nHUYỆN TÂY SƠN' -> 'Ủy ban nhân dân huyện Tây Sơn' (settings["issuer_text"] overrides)."""
    custom = (office.settings or {}).get("issuer_text")
    if custom:
        return nfc(custom)
    lines = [ln.strip() for ln in nfc(office.parent_body).splitlines() if ln.strip()]
    if not lines:
        return nfc(office.name)
    words = " ".join(lines[1:]).lower().split()
    i = 0
    while i < len(words) and words[i] in _ADMIN_WORDS:
        i += 1
    return " ".join([lines[0].lower().capitalize(), *words[:i], *(w.capitalize() for w in words[i:])])


def signer_of(office: Office, index: int = 0) -> Signer:
    """The office's `index`-th signer (the last one when there are fewer)."""
    signers = list(office.signers or [])
    if not signers:
        return Signer(title="CHỦ TỊCH", authority_prefix="", name="")
    sg = signers[min(max(index, 0), len(signers) - 1)]
    return Signer(name=sg.get("name", ""), title=sg.get("title", ""), authority_prefix=sg.get("prefix", ""),
                  authority_title=sg.get("authority", ""))
