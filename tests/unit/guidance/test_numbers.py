"""Every number people see comes from the documents or is BackCare's own rule, said so."""

from __future__ import annotations

import pytest

from tests.guidance.numbers import (
    ROOT,
    SOURCES,
    found,
    markdown,
    not_in_documents,
    numbers_in,
    table,
)

pytestmark = pytest.mark.skipif(
    not SOURCES.is_dir(), reason=f"the guidance documents are not at {SOURCES}"
)


def test_every_number_people_see_is_in_the_table() -> None:
    rows = table()
    unknown = {number: sorted(places) for number, places in found().items() if number not in rows}
    assert unknown == {}, "add these to tests/guidance/numbers.toml, with their documents"


def test_every_number_said_to_be_the_documents_is_in_them() -> None:
    wrong = {row.number: not_in_documents(row) for row in table().values() if row.sources}
    assert {number: docs for number, docs in wrong.items() if docs} == {}


def test_every_number_of_our_own_says_what_it_is_for() -> None:
    assert [row.number for row in table().values() if not row.sources and not row.what] == []


def test_the_table_has_no_number_nobody_sees() -> None:
    assert sorted(set(table()) - set(found())) == []


def test_the_readme_shows_the_table() -> None:
    assert markdown() in (ROOT / "docs" / "safety" / "numbers.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("ice for 15–20 minutes every 2 hours", ["15-20 minute", "2 hour"]),
        ("eight 8-ounce glasses, about 2 litres", ["8 ounce", "2 litre"]),
        ("a 9 or 10 out of 10", ["9-10 out of 10"]),
        ("three to six weeks", ["3-6 week"]),
        ("send /pause 2h or /flare acute 72h", []),
        ("at 07:30 or 22:00", []),
    ],
)
def test_numbers_are_read_with_their_unit(text: str, numbers: list[str]) -> None:
    assert list(numbers_in(text)) == numbers
