"""The knowledge base: strict loading, phone-sized answers, sources that exist, own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidance import KnowledgeBase, KnowledgeBaseError
from guidance.knowledge.knowledge_base import DEFAULT_DIRECTORY, MAX_BODY_CHARS, SOURCES_FILE
from guidance.reading.language import words

SOURCE = "001_c26b4f9eeb9e9c5a.txt"
COPIED_RUN = 12


def _write_entry(folder: Path, name: str, front: str, body: str = "Some advice.") -> Path:
    titles = DEFAULT_DIRECTORY / SOURCES_FILE
    (folder / SOURCES_FILE).write_text(titles.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / name
    path.write_text(f"+++\n{front}\n+++\n{body}\n", encoding="utf-8")
    return path


def _front(entry_id: str = "ice", **extra: str) -> str:
    lines = [
        f'id = "{entry_id}"',
        'title = "Ice"',
        f'sources = ["{SOURCE}"]',
        'keywords = ["ice"]',
        *(f"{key} = {value}" for key, value in extra.items()),
    ]
    return "\n".join(lines)


def test_packaged_knowledge_base_loads_between_30_and_60_entries() -> None:
    knowledge = KnowledgeBase.load()
    assert 30 <= len(knowledge) <= 60


def test_every_answer_fits_a_phone_screen() -> None:
    for entry in KnowledgeBase.load():
        assert len(entry.body) <= MAX_BODY_CHARS, entry.id


def test_soft_wrapped_lines_join_but_list_items_stay_on_their_own_lines(tmp_path: Path) -> None:
    body = "First line\ncontinues here.\n\n- one\n- two\n  still two\n1. three"
    _write_entry(tmp_path, "ice.md", _front(), body)
    entry = KnowledgeBase.load(tmp_path).get("ice")
    assert entry.body == "First line continues here.\n\n- one\n- two still two\n1. three"


def test_loading_an_entry_without_an_id_names_the_file(tmp_path: Path) -> None:
    _write_entry(tmp_path, "no-id.md", 'title = "X"\nsources = ["001_c26b4f9eeb9e9c5a.txt"]')
    with pytest.raises(KnowledgeBaseError, match=r"no-id\.md: missing 'id'"):
        KnowledgeBase.load(tmp_path)


def test_loading_two_entries_with_one_id_names_both_files(tmp_path: Path) -> None:
    _write_entry(tmp_path, "a.md", _front("ice"))
    _write_entry(tmp_path, "b.md", _front("ice"))
    with pytest.raises(KnowledgeBaseError, match=r"b\.md: duplicate id 'ice' .*a\.md"):
        KnowledgeBase.load(tmp_path)


def test_loading_an_entry_citing_an_unknown_source_name_names_the_file(tmp_path: Path) -> None:
    front = _front().replace(SOURCE, "my-notes.txt")
    _write_entry(tmp_path, "ice.md", front)
    with pytest.raises(KnowledgeBaseError, match=r"ice\.md: unknown source file name"):
        KnowledgeBase.load(tmp_path)


def test_loading_an_entry_with_an_empty_body_names_the_file(tmp_path: Path) -> None:
    _write_entry(tmp_path, "ice.md", _front(), body="   \n")
    with pytest.raises(KnowledgeBaseError, match=r"ice\.md: the answer body is empty"):
        KnowledgeBase.load(tmp_path)


def test_loading_an_entry_with_a_misspelt_field_names_the_field(tmp_path: Path) -> None:
    _write_entry(tmp_path, "ice.md", _front(keyword='["x"]'))
    with pytest.raises(KnowledgeBaseError, match=r"ice\.md: unknown front-matter field 'keyword'"):
        KnowledgeBase.load(tmp_path)


def test_loading_a_stretch_without_a_dose_is_refused(tmp_path: Path) -> None:
    _write_entry(tmp_path, "s.md", _front(category='"stretch"', how='"Gently."'))
    with pytest.raises(KnowledgeBaseError, match=r"s\.md: a stretch needs 'dose'"):
        KnowledgeBase.load(tmp_path)


def test_loading_an_entry_with_an_unknown_category_lists_the_allowed_ones(tmp_path: Path) -> None:
    _write_entry(tmp_path, "ice.md", _front(category='"cold"'))
    with pytest.raises(KnowledgeBaseError, match=r"unknown category 'cold' \(allowed: basics"):
        KnowledgeBase.load(tmp_path)


def test_loading_an_entry_with_broken_toml_names_the_file(tmp_path: Path) -> None:
    _write_entry(tmp_path, "ice.md", 'id = "ice')
    with pytest.raises(KnowledgeBaseError, match=r"ice\.md: front matter is not valid TOML"):
        KnowledgeBase.load(tmp_path)


def test_loading_a_file_without_front_matter_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "plain.md").write_text("Just text.\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"plain\.md: must start with a '\+\+\+' line"):
        KnowledgeBase.load(tmp_path)


def test_loading_an_overlong_answer_is_refused(tmp_path: Path) -> None:
    _write_entry(tmp_path, "ice.md", _front(), body="word " * 200)
    with pytest.raises(KnowledgeBaseError, match=r"ice\.md: the answer body has \d+ characters"):
        KnowledgeBase.load(tmp_path)


def test_loading_an_entry_whose_order_is_not_a_number_is_refused(tmp_path: Path) -> None:
    _write_entry(tmp_path, "ice.md", _front(order='"first"'))
    with pytest.raises(KnowledgeBaseError, match=r"ice\.md: 'order' must be a whole number"):
        KnowledgeBase.load(tmp_path)


def test_entries_of_a_category_follow_their_order_field_then_file_name(tmp_path: Path) -> None:
    for name, order in (("a.md", "2"), ("b.md", "1"), ("c.md", None)):
        extra = {"category": '"habits"'} | ({"order": order} if order else {})
        _write_entry(tmp_path, name, _front(name.removesuffix(".md"), **extra))
    ordered = KnowledgeBase.load(tmp_path).in_category("habits")
    assert [entry.id for entry in ordered] == ["b", "a", "c"]


def test_loading_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match=r"no \*\.md entries"):
        KnowledgeBase.load(tmp_path)


def test_every_cited_source_exists_among_the_source_documents(sources_dir: Path) -> None:
    available = {path.name for path in sources_dir.glob("*.txt")}
    for entry in KnowledgeBase.load():
        missing = set(entry.sources) - available
        assert not missing, f"{entry.id} cites missing sources {sorted(missing)}"


def test_every_source_document_is_drawn_on_by_some_entry(sources_dir: Path) -> None:
    cited = {source for entry in KnowledgeBase.load() for source in entry.sources}
    assert {path.name for path in sources_dir.glob("*.txt")} <= cited


def test_no_entry_copies_12_or_more_consecutive_words_from_a_source(sources_dir: Path) -> None:
    source_runs: set[tuple[str, ...]] = set()
    for path in sources_dir.glob("*.txt"):
        tokens = words(path.read_text(encoding="utf-8"))
        source_runs.update(_runs(tokens))
    copied: list[str] = []
    for entry in KnowledgeBase.load():
        texts = [entry.title, entry.body, entry.how, entry.dose, entry.nudge, *entry.tips]
        for text in filter(None, texts):
            copied.extend(
                f"{entry.id}: {' '.join(run)}" for run in _runs(words(text)) if run in source_runs
            )
    assert copied == []


def _runs(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + COPIED_RUN]) for i in range(len(tokens) - COPIED_RUN + 1)}


def test_every_source_has_a_readable_title() -> None:
    knowledge = KnowledgeBase.load()
    cited = {source for entry in knowledge for source in entry.sources}
    assert cited == set(knowledge.source_titles)
    assert all(not title.endswith(".txt") for title in knowledge.source_titles.values())


def test_an_entry_citing_a_source_without_a_title_names_the_file(tmp_path: Path) -> None:
    _write_entry(tmp_path, "ice.md", _front())
    (tmp_path / SOURCES_FILE).write_text("", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"ice\.md: source .* has no title"):
        KnowledgeBase.load(tmp_path)
