"""Form profiles: titles and form numbers by legal basis, chosen by name (JSON files, no code change)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tthc_desk.errors import ValidationError
from tthc_desk.paths import resource_path
from tthc_desk.text import nfc

DEFAULT_PROFILE = "tt01_2018"
FORM_KEYS = ("receipt", "supplement", "refusal", "apology", "control_sheet", "register")


@dataclass(frozen=True)
class FormSpec:
    number: str  # "Mẫu số 01"
    title: str  # upper case, as printed


@dataclass(frozen=True)
class FormProfile:
    """One set of forms: name (the setting's value), label for people, and a FormSpec per form key."""

    name: str
    label: str
    forms: dict[str, FormSpec] = field(default_factory=dict)
    show_form_number: bool = True

    def spec(self, key: str) -> FormSpec:
        try:
            return self.forms[key]
        except KeyError:
            raise ValidationError(f"Bộ mẫu “{self.label}” không có mẫu “{key}”.") from None

    def title(self, key: str) -> str:
        return self.spec(key).title

    def number(self, key: str) -> str:
        return self.spec(key).number


def profile_from_dict(raw: dict) -> FormProfile:
    """Build a profile from its JSON form; every standard form must be present."""
    forms = {
        nfc(k): FormSpec(number=nfc(v.get("number", "")), title=nfc(v["title"]).upper())
        for k, v in raw.get("forms", {}).items()
    }
    missing = [k for k in FORM_KEYS if k not in forms]
    if missing:
        raise ValidationError(f"Bộ mẫu “{raw.get('name', '?')}” thiếu: {', '.join(missing)}.")
    return FormProfile(
        name=nfc(raw["name"]),
        label=nfc(raw.get("label", raw["name"])),
        forms=forms,
        show_form_number=bool(raw.get("show_form_number", True)),
    )


def _profile_dirs(extra: Iterable[Path]) -> list[Path]:
    return [*(Path(p) for p in extra), resource_path("profiles")]


def available_profiles(extra_dirs: Iterable[Path] = ()) -> dict[str, FormProfile]:
    """All profiles found, by name; files in `extra_dirs` override the bundled ones."""
    found: dict[str, FormProfile] = {}
    for folder in reversed(_profile_dirs(extra_dirs)):
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            profile = _load(path, path.stat().st_mtime_ns)
            found[profile.name] = profile
    return found


@cache
def _load(path: Path, _mtime: int) -> FormProfile:
    with path.open(encoding="utf-8") as fh:
        return profile_from_dict(json.load(fh))


def get_profile(name: str | None = None, extra_dirs: Iterable[Path] = ()) -> FormProfile:
    """The profile called `name` (default TT 01/2018/TT-VPCP); ValidationError if unknown."""
    name = nfc(name) or DEFAULT_PROFILE
    profiles = available_profiles(extra_dirs)
    if name not in profiles:
        known = ", ".join(sorted(profiles))
        raise ValidationError(f"Không có bộ mẫu “{name}” (có: {known}).")
    return profiles[name]
