"""Text rules shared by search and validation: folding for matching, length limits."""

from __future__ import annotations

import unicodedata

# Letters NFKD does not take apart (đ has no combining form).
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "Ø": "o"})

NAME_MAX = 100
SHORT_TEXT_MAX = 200
# A contact note or an answer: a page of text. Longer input is refused, not cut.
NOTE_MAX = 4000


def fold(text: str | None) -> str:
    """Lower case without diacritics, single spaces: "  ŽAGAR  Ćiril" -> "zagar ciril"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def name_key(first_name: str, last_name: str) -> str:
    """The stored search key of a person: folded words padded with spaces.

    The padding lets ``LIKE '% zag%'`` find a word that *starts* with what was
    typed, in any position ("zagar" and "cvetka" both find "Cvetka Žagar").
    """
    return f" {fold(first_name)} {fold(last_name)} "


def search_words(query: str | None) -> list[str]:
    """Words of a search box, folded; LIKE wildcards are dropped, not interpreted."""
    return [w for w in fold((query or "").replace("%", " ").replace("_", " ")).split() if w]
