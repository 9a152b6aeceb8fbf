"""The bulk writers' text (search rows, IMPORTED event JSON) is exactly what the one-case paths produce."""

from __future__ import annotations

import json
from datetime import datetime
from types import SimpleNamespace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tthc_desk.domain import Channel, Status
from tthc_desk.services.intake import search_text_for
from tthc_desk.sync.reader import PortalRow
from tthc_desk.sync.service_new import ascii_json, rows_json
from tthc_desk.sync.service_write import _row_data, search_texts

# Vietnamese in NFC and NFD, the separators the bulk paths use, whitespace of several kinds, letters whose
# case mapping depends on context or grows (final sigma, ß, İ), JSON's special characters
ALPHABET = st.sampled_from(
    list("aAđĐeễỄ \t\n\u00a0\u2003\x00\x01\x1f\"\\/Σσßİ") + ["e\u0302\u0303", "Nguyễn", "Văn", "Ấn", "0905", "1.000010"]
)
TEXT = st.lists(ALPHABET, max_size=6).map("".join)


def _case(*parts: str) -> tuple[str, ...]:
    return (*parts, *[""] * (7 - len(parts)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(*[TEXT] * 7), max_size=6))
@example([_case("An "), _case(" Bình")])  # spaces at the edges of two cases
@example([_case("An", " "), _case(" ", "Bình")])  # parts that fold to nothing, next to a case boundary
@example([_case(), _case("Ấn\x01"), _case("x\x00y")])  # no parts; the separators inside a part
def test_search_texts_fold_each_part_as_intake_does(cases):
    expected = [search_text_for(SimpleNamespace(**dict(zip(SEARCH_COLUMNS, parts, strict=True)))) for parts in cases]
    assert search_texts(cases) == expected


SEARCH_COLUMNS = ("code", "applicant_name", "owner_name", "applicant_id_number", "owner_id_number",
                  "applicant_phone", "procedure_code")


def test_the_owner_is_in_the_search_text_only_when_not_the_applicant():
    case = dict(zip(SEARCH_COLUMNS, ("HS-1", "Lê Văn Tám", "Lê Văn Tám", "0790", "0790", "0905", "1.000010"),
                    strict=True))  # fmt: skip
    assert search_text_for(SimpleNamespace(**case)) == "hs-1 le van tam 0790 0905 1.000010"
    case.update(owner_name="Đặng Thị Đào", owner_id_number="0011")
    assert search_text_for(SimpleNamespace(**case)) == "hs-1 le van tam dang thi dao 0790 0011 0905 1.000010"
    assert search_texts([tuple(case.values())]) == [search_text_for(SimpleNamespace(**case))]


MOMENT = st.none() | st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31))


@st.composite
def portal_rows(draw):
    texts = {name: draw(TEXT) for name in ("code", "applicant", "citizen_id", "phone", "address", "email",
                                           "procedure_code", "procedure_name", "field", "unit")}  # fmt: skip
    return PortalRow(draw(st.integers(1, 10**6)), channel=draw(st.none() | st.sampled_from(list(Channel))),
                     status=draw(st.none() | st.sampled_from(list(Status))), received_at=draw(MOMENT),
                     due_at=draw(MOMENT), finished_at=draw(MOMENT), returned_at=draw(MOMENT), **texts)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(portal_rows(), max_size=5), TEXT)
@example([PortalRow(7, "HS-1", received_at=datetime(2025, 1, 2, 7, 30), due_at=datetime(2025, 1, 5, 23, 59, 59),
                    finished_at=datetime(2025, 1, 4, 0, 0, 0, 1), returned_at=datetime(2000, 1, 1))], "tệp.xlsx")
def test_event_json_of_new_cases_is_json_dumps_of_the_row(rows, file_name):
    ctx = SimpleNamespace(file_name=file_name)
    expected = [json.dumps(_row_data(r, ctx), ensure_ascii=False, sort_keys=True) for r in rows]
    assert rows_json(rows, file_name) == expected


JSON_TEXT = TEXT | st.text()  # the texts above, and any character at all (DEL, beyond U+FFFF, surrogates)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(JSON_TEXT, inner, max_size=3), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUE)
@example({"a": '\\"é', "\\": "\\\\é\x7f😀\n", "é\"": ["\\u00e9", "x\\"]})  # escapes next to the escaped
def test_ascii_json_is_json_dumps_of_the_value(value):
    """The event data COPY stores on PostgreSQL is what Core stored: json.dumps of the parsed value."""
    assert ascii_json(json.dumps(value, ensure_ascii=False)) == json.dumps(value)
