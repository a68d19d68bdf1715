"""Tell a message written in another language, for a short "English for now" note."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ENGLISH_WORDS = Path(__file__).parent / "english_words.txt"
# Words English messages do not use, common in the languages people write to bots in.
FOREIGN_WORDS = frozenset(
    [
        "danke",
        "bitte",
        "hallo",
        "tschüss",
        "rücken",
        "schmerzen",
        "erledigt",
        "getrunken",
        "ich",
        "und",
        "nicht",
        "habe",
        "gracias",
        "hola",
        "espalda",
        "duele",
        "mucho",
        "dolor",
        "ayuda",
        "bebí",
        "agua",
        "hecho",
        "favor",
        "tengo",
        "merci",
        "bonjour",
        "mal",
        "aidez",
        "moi",
        "j'ai",
        "trop",
        "fait",
        "bu",
        "eau",
        "obrigado",
        "obrigada",
        "olá",
        "costas",
        "dor",
        "bebi",
        "água",
        "feito",
        "grazie",
        "ciao",
        "schiena",
        "fatto",
        "acqua",
        "dank",
        "wel",
        "rug",
        "pijn",
        "gedaan",
        "dzięki",
        "dziękuję",
        "plecy",
        "zrobione",
        "teşekkürler",
        "sırtım",
    ]
)
_WORD = re.compile(r"[^\W\d_][\w']*")


@cache
def english_words() -> frozenset[str]:
    """Read the English word list (made by `python -m guidance.reading.english_words`)."""
    lines = ENGLISH_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def looks_foreign(text: str) -> bool:
    """Tell a message in another language: another script, known foreign words, or words of
    three letters or more that are mostly not English."""
    lowered = text.lower()
    if not lowered.isascii():  # in ASCII every letter is a to z
        letters = [char for char in lowered if char.isalpha()]
        if letters and sum(not ("a" <= char <= "z") for char in letters) > len(letters) / 2:
            return True
    words = [word.strip("'") for word in _WORD.findall(lowered)]
    if sum(word in FOREIGN_WORDS for word in words) >= 2:
        return True
    long_words = [word for word in words if len(word) >= 3]
    if len(long_words) < 2:
        return False
    english = english_words()
    unknown = sum(word not in english and word not in FOREIGN_WORDS for word in long_words)
    known_foreign = sum(word in FOREIGN_WORDS for word in long_words)
    return unknown + known_foreign >= 0.6 * len(long_words) and known_foreign + unknown >= 2
