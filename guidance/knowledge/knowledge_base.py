"""The curated knowledge base: one Markdown entry per file, TOML front matter between `+++`."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIRECTORY = Path(__file__).parent
# The guidance documents, by file name, with the title a person reads under an answer.
SOURCES_FILE = "sources.toml"

SOURCE_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
ENTRY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CATEGORIES = frozenset(
    {
        "basics",
        "relief",
        "ice-heat",
        "habits",
        "stretch",
        "stretch-advice",
        "medicine",
        "doctor",
        "urgent",
    }
)
REQUIRED_FIELDS = ("id", "title", "sources", "keywords")
OPTIONAL_FIELDS = (
    "category",
    "how",
    "dose",
    "nudge",
    "tips",
    "order",
    "uncovered",
    "context",
    "see_doctor",
)
STRETCH_FIELDS = ("how", "dose")
FENCE = "+++"
# A body longer than this no longer fits one phone screen.
MAX_BODY_CHARS = 600

_LIST_ITEM = re.compile(r"^(?:[-*] |\d+\. )")


class KnowledgeBaseError(ValueError):
    """An entry file that cannot be used, with the file named in the message."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One piece of guidance: a short answer drawn from named source documents."""

    id: str
    title: str
    body: str
    sources: tuple[str, ...]
    keywords: tuple[str, ...]
    category: str | None = None
    how: str | None = None
    dose: str | None = None
    nudge: str | None = None
    tips: tuple[str, ...] = ()
    order: int | None = None
    path: Path | None = None
    # Things people ask about that the documents never mention, answered here: the reply
    # opens "My sources don't cover <thing>." and goes on with what they do say.
    uncovered: tuple[str, ...] = ()
    # Who the question is about (pregnancy): a question naming this entry stays with it
    # when it also names an uncovered thing, unless that thing needs a doctor.
    context: bool = False
    # The answer sends the person to a doctor ("see one"): it is a see-a-doctor answer.
    see_doctor: bool = False


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """All entries of a knowledge directory, in file-name order."""

    entries: tuple[Entry, ...]
    directory: Path
    source_titles: Mapping[str, str]
    # The short name of each document, shown under answers.
    source_names: Mapping[str, str]

    @classmethod
    def load(cls, directory: Path | None = None) -> KnowledgeBase:
        """Read and validate every `*.md` entry in a directory (the packaged one by default)."""
        folder = DEFAULT_DIRECTORY if directory is None else Path(directory)
        if not folder.is_dir():
            raise KnowledgeBaseError(f"{folder}: knowledge directory not found")
        entries: list[Entry] = []
        seen: dict[str, Path] = {}
        homes: dict[str, str] = {}
        for path in sorted(folder.glob("*.md")):
            entry = parse_entry(path.read_text(encoding="utf-8"), path=path)
            if entry.id in seen:
                first = seen[entry.id].name
                raise KnowledgeBaseError(
                    f"{path.name}: duplicate id {entry.id!r} (already used by {first})"
                )
            seen[entry.id] = path
            for item in entry.uncovered:
                phrase, _ = unsaid_name(item)
                if homes.setdefault(phrase.lower(), entry.id) != entry.id:
                    raise KnowledgeBaseError(
                        f"{path.name}: {phrase!r} is already answered by {homes[phrase.lower()]}"
                    )
            entries.append(entry)
        if not entries:
            raise KnowledgeBaseError(f"{folder}: no *.md entries found")
        titles, names = _source_titles(folder / SOURCES_FILE)
        for entry in entries:
            unknown = [source for source in entry.sources if source not in titles]
            if unknown:
                name = entry.path.name if entry.path else entry.id
                raise KnowledgeBaseError(
                    f"{name}: source {unknown[0]!r} has no title in {SOURCES_FILE}"
                )
        return cls(
            entries=tuple(entries), directory=folder, source_titles=titles, source_names=names
        )

    def titles(self, sources: Iterable[str]) -> list[str]:
        """Return the readable titles of some source documents, in order."""
        return [self.source_titles[source] for source in sources]

    def names(self, sources: Iterable[str]) -> list[str]:
        """Return the short names of some source documents, in order."""
        return [self.source_names[source] for source in sources]

    def __iter__(self) -> Iterator[Entry]:
        """Iterate over the entries in file-name order."""
        return iter(self.entries)

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self.entries)

    def get(self, entry_id: str) -> Entry:
        """Return the entry with this id, or raise KeyError naming it."""
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(f"no knowledge entry with id {entry_id!r}")

    def in_category(self, category: str) -> list[Entry]:
        """Return the entries of one category, by their `order` field, then file name."""
        chosen = [entry for entry in self.entries if entry.category == category]
        return sorted(chosen, key=lambda entry: (entry.order is None, entry.order or 0))


def _source_titles(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Read each guidance document's title and short name from the sources file."""
    if not path.is_file():
        raise KnowledgeBaseError(f"{path}: the sources file is missing")
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeBaseError(f"{path.name}: invalid TOML: {error}") from None
    titles: dict[str, str] = {}
    names: dict[str, str] = {}
    for source, fields in table.items():
        title = fields.get("title") if isinstance(fields, dict) else None
        short = fields.get("short", title) if isinstance(fields, dict) else None
        if (
            not SOURCE_NAME.match(source)
            or not isinstance(title, str)
            or not title.strip()
            or not isinstance(short, str)
            or not short.strip()
        ):
            raise KnowledgeBaseError(
                f"{path.name}: each source needs a file name like '000_0123456789abcdef.txt' "
                f'and a title, e.g. ["000_0123456789abcdef.txt"] title = "…"; got {source!r}'
            )
        titles[source] = title.strip()
        names[source] = short.strip()
    return titles, names


def parse_entry(text: str, *, path: Path) -> Entry:
    """Parse one entry file's text, raising KnowledgeBaseError that names the file."""
    name = path.name
    front, body = _split_front_matter(text, name)
    try:
        fields = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeBaseError(f"{name}: front matter is not valid TOML: {error}") from error
    _check_fields(fields, name)

    entry_id = _text(fields, "id", name)
    if not ENTRY_ID.match(entry_id):
        raise KnowledgeBaseError(
            f"{name}: id {entry_id!r} must be lower-case words joined by hyphens"
        )
    sources = _text_list(fields, "sources", name)
    if not sources:
        raise KnowledgeBaseError(f"{name}: 'sources' must name at least one source document")
    for source in sources:
        if not SOURCE_NAME.match(source):
            raise KnowledgeBaseError(
                f"{name}: unknown source file name {source!r} "
                "(expected a name like '001_c26b4f9eeb9e9c5a.txt')"
            )
    keywords = _text_list(fields, "keywords", name)
    if not keywords:
        raise KnowledgeBaseError(f"{name}: 'keywords' must list at least one keyword")

    category = _optional_text(fields, "category", name)
    if category is not None and category not in CATEGORIES:
        allowed = ", ".join(sorted(CATEGORIES))
        raise KnowledgeBaseError(f"{name}: unknown category {category!r} (allowed: {allowed})")
    if category == "stretch":
        for field in STRETCH_FIELDS:
            if field not in fields:
                raise KnowledgeBaseError(f"{name}: a stretch needs {field!r} in its front matter")

    body_text = _reflow(body)
    if not body_text:
        raise KnowledgeBaseError(f"{name}: the answer body is empty")
    if len(body_text) > MAX_BODY_CHARS:
        raise KnowledgeBaseError(
            f"{name}: the answer body has {len(body_text)} characters; "
            f"keep it to {MAX_BODY_CHARS} so it fits a phone screen"
        )

    return Entry(
        id=entry_id,
        title=_text(fields, "title", name),
        body=body_text,
        sources=tuple(sources),
        keywords=tuple(keywords),
        category=category,
        how=_optional_text(fields, "how", name),
        dose=_optional_text(fields, "dose", name),
        nudge=_optional_text(fields, "nudge", name),
        tips=tuple(_text_list(fields, "tips", name)) if "tips" in fields else (),
        order=_optional_int(fields, "order", name),
        path=path,
        uncovered=tuple(_text_list(fields, "uncovered", name)) if "uncovered" in fields else (),
        context=_flag(fields, "context", name),
        see_doctor=_flag(fields, "see_doctor", name),
    )


def unsaid_name(item: str) -> tuple[str, str]:
    """Split an `uncovered` item into the words a question uses and the name a reply
    gives it: "for kids => back pain in children", or one phrase for both."""
    phrase, _, shown = item.partition("=>")
    return phrase.strip(), (shown or phrase).strip()


def _flag(fields: Mapping[str, object], field: str, name: str) -> bool:
    value = fields.get(field, False)
    if not isinstance(value, bool):
        raise KnowledgeBaseError(f"{name}: {field!r} must be true or false")
    return value


def _split_front_matter(text: str, name: str) -> tuple[str, str]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise KnowledgeBaseError(f"{name}: must start with a '+++' line opening the front matter")
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE:
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :])
    raise KnowledgeBaseError(f"{name}: front matter is not closed by a '+++' line")


def _check_fields(fields: Mapping[str, object], name: str) -> None:
    for field in REQUIRED_FIELDS:
        if field not in fields:
            raise KnowledgeBaseError(f"{name}: missing {field!r} in front matter")
    known = set(REQUIRED_FIELDS) | set(OPTIONAL_FIELDS)
    for field in fields:
        if field not in known:
            allowed = ", ".join((*REQUIRED_FIELDS, *OPTIONAL_FIELDS))
            raise KnowledgeBaseError(
                f"{name}: unknown front-matter field {field!r} (allowed: {allowed})"
            )


def _text(fields: Mapping[str, object], field: str, name: str) -> str:
    value = fields[field]
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{name}: {field!r} must be a non-empty string")
    return value.strip()


def _optional_text(fields: Mapping[str, object], field: str, name: str) -> str | None:
    return _text(fields, field, name) if field in fields else None


def _optional_int(fields: Mapping[str, object], field: str, name: str) -> int | None:
    if field not in fields:
        return None
    value = fields[field]
    if not isinstance(value, int) or isinstance(value, bool):
        raise KnowledgeBaseError(f"{name}: {field!r} must be a whole number")
    return value


def _text_list(fields: Mapping[str, object], field: str, name: str) -> list[str]:
    value = fields[field]
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        raise KnowledgeBaseError(f"{name}: {field!r} must be a list of non-empty strings")
    return [item.strip() for item in value]


def _reflow(body: str) -> str:
    """Join soft-wrapped lines so each paragraph or list item is one line, as in Markdown."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw in body.strip().splitlines():
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(current)
                current = []
            continue
        if current and not _LIST_ITEM.match(line):
            current[-1] = f"{current[-1]} {line}"
        else:
            current.append(line)
    if current:
        paragraphs.append(current)
    return "\n\n".join("\n".join(lines) for lines in paragraphs)
