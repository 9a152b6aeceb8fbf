"""The queue: colours moving with the clock, remaining-time words, search without diacritics, sort
orders, filters."""

from __future__ import annotations

from datetime import datetime

import pytest

from tthc_desk.domain import Colour, Status
from tthc_desk.services.queue import QueueFilter


@pytest.fixture
def two_cases(services, register, make_procedure, desk_user):
    """Received Mon 03/03/2025 08:00: 3 working days (due Thu 08:00, amber from Wed 08:00) and 1 working day
    (due Tue 08:00; its window is capped at half the time: amber from Mon 14:00)."""
    one_day = make_procedure(1, "working_days")
    return register("Nguyễn Văn Ba").code, register("Trần Thị Một", procedure_id=one_day).code


def colours(services, actor) -> dict[str, Colour]:
    return {r.code: r.colour for r in services.queue.list(actor, QueueFilter())}


@pytest.mark.parametrize(("now", "three", "one"), [
    (datetime(2025, 3, 3, 9, 0), Colour.GREEN, Colour.GREEN),
    (datetime(2025, 3, 3, 13, 59), Colour.GREEN, Colour.GREEN),
    (datetime(2025, 3, 3, 14, 0), Colour.GREEN, Colour.AMBER),
    (datetime(2025, 3, 4, 8, 0), Colour.GREEN, Colour.AMBER),  # due 08:00 itself is not past due
    (datetime(2025, 3, 4, 8, 1), Colour.GREEN, Colour.RED),
    (datetime(2025, 3, 5, 7, 59), Colour.GREEN, Colour.RED),
    (datetime(2025, 3, 5, 8, 0), Colour.AMBER, Colour.RED),
    (datetime(2025, 3, 6, 8, 1), Colour.RED, Colour.RED),
])
def test_queue_colours_move_with_the_clock(services, admin, two_cases, clock, now, three, one) -> None:
    clock.set(now)
    code3, code1 = two_cases
    assert colours(services, admin) == {code3: three, code1: one}
    counts = services.queue.colour_counts(admin, QueueFilter())
    assert counts == {c: [three, one].count(c) for c in Colour}
    for c in Colour:  # filtering by colour happens in SQL and must agree with the rows
        assert services.queue.count(admin, QueueFilter(colour=c)) == counts[c]
    assert services.casefile.detail(admin, code3).colour is three


def test_waiting_for_the_applicant_is_grey_and_finished_cases_leave_the_queue(services, admin, two_cases,
                                                                               desk_user, clock) -> None:
    code3, code1 = two_cases
    services.workflow.request_supplement(desk_user, code3, "Thiếu", [])
    services.workflow.record_result(desk_user, code1)
    clock.set(datetime(2025, 3, 20, 9, 0))  # long past any due: still grey while waiting
    rows = services.queue.list(admin, QueueFilter())
    assert [(r.code, r.colour, r.remaining_text) for r in rows] == [(code3, Colour.GREY, "đang chờ bổ sung")]
    assert services.queue.colour_counts(admin, QueueFilter())[Colour.GREY] == 1
    everything = services.queue.list(admin, QueueFilter(open_only=False))
    done = next(r for r in everything if r.code == code1)
    assert done.colour is None and done.remaining_text == "trước hạn"


def test_remaining_time_words(services, admin, two_cases, clock) -> None:
    code3, code1 = two_cases
    clock.set(datetime(2025, 3, 3, 9, 40))
    rows = {r.code: r for r in services.queue.list(admin, QueueFilter())}
    assert (rows[code3].remaining_minutes, rows[code3].remaining_text) == (1340, "còn 2 ngày 6 giờ")
    assert (rows[code1].remaining_minutes, rows[code1].remaining_text) == (380, "còn 6 giờ 20 phút")
    clock.set(datetime(2025, 3, 7, 9, 0))
    rows = {r.code: r for r in services.queue.list(admin, QueueFilter())}
    assert rows[code1].remaining_text == "quá hạn 3 ngày"


@pytest.fixture
def people(register, clock):
    made = {
        "an": register("Nguyễn Văn Ấn", applicant_phone="0912345678", applicant_id_number="001234567890"),
        "anh": register("Lê Văn Anh", applicant_phone="0987654321"),
        "binh": register("Trần Thị Bình", owner_name="Đặng Văn Đức", applicant_id_number="079012345678"),
    }
    clock.set(datetime(2025, 3, 4, 10, 0))
    made["cuong"] = register("Phạm Cường")
    return {k: v.code for k, v in made.items()}


@pytest.mark.parametrize(("text", "expected"), [
    ("nguyen van an", {"an"}),
    ("NGUYỄN VĂN ẤN", {"an"}),
    ("  van   an ", {"an", "anh"}),  # a one- or two-letter word must start a word: "an" is not found in "Đặng"
    ("0912345678", {"an"}),
    ("0912 345 678", {"an"}),
    ("0912.345.678", {"an"}),  # a number in groups is found as typed or as its digits, as it is kept
    ("0912-345-678", {"an"}),
    ("079.012.345.678", {"binh"}),
    ("0912.345", set()),  # fewer than 9 digits: a case code's part, searched as typed
    ("001234567890", {"an"}),
    ("0790", {"binh"}),
    ("dang van duc", {"binh"}),  # the owner is searchable too; đ folds to d
    ("Đức", {"binh"}),
    ("250304", {"cuong"}),
    ("h10-250303-0002", {"anh"}),
    ("-0001", {"an", "cuong"}),
    ("100%", set()),
    ("", {"an", "anh", "binh", "cuong"}),
])
@pytest.mark.parametrize("open_only", [True, False], ids=["queue", "every-case"])  # False: the search index
def test_search_without_diacritics(services, admin, people, text, expected, open_only) -> None:
    found = {r.code for r in services.queue.list(admin, QueueFilter(text=text, open_only=open_only))}
    assert found == {people[k] for k in expected}


@pytest.mark.parametrize("open_only", [True, False], ids=["queue", "every-case"])
def test_a_search_word_must_occur_whole_not_as_scattered_trigrams(services, admin, register, open_only) -> None:
    """'abcx bcd' holds both trigrams of 'abcd' but not the word: the trigram index keeps no positions, so
    each candidate must be confirmed against its text."""
    scattered, whole = register("Abcx Bcd").code, register("Abcd Lê").code
    found = {r.code for r in services.queue.list(admin, QueueFilter(text="abcd", open_only=open_only))}
    assert found == {whole} and scattered not in found


def test_sort_orders(services, admin, people, desk_user, make_procedure, register) -> None:
    """Now Tue 04/03 10:00: 'som' is due today, 'xa' in 20 days, 'an' waits for papers."""
    som = register("Vũ Sớm", procedure_id=make_procedure(None, "same_day")).code
    xa = register("Hồ Xa", procedure_id=make_procedure(20, "working_days")).code
    services.workflow.request_supplement(desk_user, people["an"], "Thiếu", [])
    name_of = {v: k for k, v in people.items()} | {som: "som", xa: "xa"}

    def order(**kw) -> list[str]:
        return [name_of[r.code] for r in services.queue.list(admin, QueueFilter(), **kw)]

    assert order() == ["som", "anh", "binh", "cuong", "xa", "an"]  # urgency: due first, waiting last
    assert order(descending=True) == order()  # urgency has one direction
    assert order(sort="due_at") == ["som", "an", "anh", "binh", "cuong", "xa"]
    assert order(sort="received_at") == ["an", "anh", "binh", "cuong", "som", "xa"]
    assert order(sort="received_at", descending=True) == ["cuong", "som", "xa", "an", "anh", "binh"]
    assert order(sort="applicant") == ["xa", "anh", "an", "cuong", "binh", "som"]  # Hồ, Lê, Nguyễn, Phạm, Trần, Vũ
    assert order(sort="applicant", descending=True) == ["som", "binh", "cuong", "an", "anh", "xa"]
    assert order(sort="code") == ["an", "anh", "binh", "cuong", "som", "xa"]
    assert order(sort="unit") == order(sort="code")  # all at the desk: ties keep id order
    assert len(services.queue.ids(admin, QueueFilter(), limit=2)) == 2


def test_queue_filters(services, admin, people, desk_user, units) -> None:
    services.workflow.transfer(desk_user, people["binh"], units["tu_phap"])
    assert {r.code for r in services.queue.list(admin, QueueFilter(unit_id=units["tu_phap"]))} == {people["binh"]}
    assert services.queue.count(admin, QueueFilter(status=Status.PROCESSING)) == 1
    assert services.queue.count(admin, QueueFilter(officer_id=desk_user.user_id)) == 4
    assert services.queue.fields(admin) == ["Hộ tịch"]
    assert services.queue.changed_since(admin, datetime(2025, 3, 4, 9, 0))
    assert not services.queue.changed_since(admin, datetime(2025, 3, 4, 11, 0))


@pytest.mark.parametrize("text", ["", "nguyen", "van an", "0912"])
def test_ids_and_counts_agree_with_the_separate_queries(services, admin, people, clock, text) -> None:
    """The one-pass search answer is exactly the two separate answers (ids in order, counts per colour)."""
    from tthc_desk.services.queue import QueueFilter

    clock.set(datetime(2025, 3, 10, 9, 0))
    flt = QueueFilter(text=text)
    ids, counts = services.queue.ids_and_counts(admin, flt)
    assert ids == services.queue.ids(admin, flt)
    assert counts == services.queue.colour_counts(admin, flt)
