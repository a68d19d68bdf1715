"""Every string a person reads goes through `_` (or `ngettext` when it counts something):
`make messages` (pybabel extract) finds each one in `bot.wording`, and another language is
a catalog.

The words are written in English, and English is the identity: no catalog is read for it.
Another language is a compiled catalog, `bot/wording/locale/<language>/LC_MESSAGES/
messages.mo`, chosen with `use(language)` before `bot.wording` is imported: a module's
texts are translated as it loads (the `backcare` command does this from
`[defaults] language`). Kept outside `bot.wording`, whose package imports every wording
module. See docs/architecture/wording.md.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE = Path(__file__).with_name("wording") / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


class _Catalog:
    """The catalog every `_` reads: English (the words as written) until `use` says else."""

    translations: gettext.NullTranslations = gettext.NullTranslations()
    language = SOURCE_LANGUAGE
    said = False  # whether anything has been translated yet


def use(language: str) -> None:
    """Say everything in `language` from its compiled catalog (English: as written).

    Choose it before anything is said: texts already translated would stay in the language
    they were said in, so changing it afterwards is refused.
    """
    if language == _Catalog.language:
        return
    if _Catalog.said:
        raise RuntimeError(
            f"the language must be chosen before the wording is imported ({language!r} asked"
            f" for, {_Catalog.language!r} already used)"
        )
    _Catalog.translations = (
        gettext.NullTranslations()
        if language == SOURCE_LANGUAGE
        else gettext.translation(DOMAIN, LOCALE, languages=[language])
    )
    _Catalog.language = language


def has_catalog(language: str) -> bool:
    """Tell whether BackCare can speak a language: English, or one with a compiled catalog."""
    return language == SOURCE_LANGUAGE or bool(gettext.find(DOMAIN, LOCALE, languages=[language]))


def _(message: str) -> str:
    """Return a text in the language in use."""
    _Catalog.said = True
    return _Catalog.translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Return the form of a text that fits `count`, in the language in use."""
    _Catalog.said = True
    return _Catalog.translations.ngettext(singular, plural, count)


def language() -> str:
    """Return the language in use."""
    return _Catalog.language


def N_(message: str) -> str:
    """Mark a text to translate where it is said, not here (names said by `dated`)."""
    return message
