"""Text rules shared by every form: cleaning what was typed, folding for search, length limits.

Every text a user types goes through :func:`clean` before it is stored, so a
name of only a zero-width space, a NUL byte that hides the rest of a name, a
right-to-left override that shows "Ana" reversed, or an ANSI escape never
reaches the database.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from workbench.errors import UserError

# Letters NFKD does not take apart (đ has no combining form).
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "Ø": "o"})

NAME_MAX = 100
SHORT_TEXT_MAX = 200
PHONE_MAX = 40
# A contact note or an answer: a page of text. Longer input is refused, not cut.
NOTE_MAX = 4000
# A search box: a few words are a search; a pasted page is not.
SEARCH_MAX = 200
SEARCH_MAX_WORDS = 8

# Unicode categories that never belong in what a coordinator types: controls (NUL,
# ESC of ANSI sequences, ...), format characters (zero-width space, bidi overrides),
# surrogates, private use and unassigned code points.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def clean(value: str | None, *, limit: int, required: bool = False, multiline: bool = False,
          field: str | None = None) -> str | None:
    """What was typed, as it will be stored: NFC-normalised and trimmed, or None when empty.

    Raises UserError (naming ``field``) for control or invisible characters, a line
    break in a one-line field, text over ``limit`` characters, or missing required
    text. Whitespace-only input counts as empty; an invisible character anywhere is refused.
    """
    text = unicodedata.normalize("NFC", value or "")
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in text:
        if char in "\n\r":
            if multiline:
                continue
            raise UserError("error.text_line_break", field=field)
        if char == "\t":  # pasted from a spreadsheet: whitespace, not a control
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise UserError("error.text_invisible", field=field)
    if not multiline:
        text = " ".join(text.split())  # also turns odd spaces (NBSP, em space) into one space
    text = text.strip()
    if not text:
        if required:
            raise UserError("error.text_required", field=field)
        return None
    if len(text) > limit:
        raise UserError("error.text_too_long", field=field, n=limit)
    return text


_DECIMAL = re.compile(r"^\d{1,6}(?:[.,]\d{1,2})?$")


def parse_decimal(value: str | float | None, *, field: str | None = None) -> float | None:
    """A typed amount the Slovenian way ("2,5") or with a dot ("2.5"); None when empty.
    Anything else (thousands separators, "2,5,0", letters) is refused, never guessed."""
    if value is None or isinstance(value, int | float):
        return value
    if not isinstance(value, str):  # a list, a dict...: no amount anyone typed
        raise UserError("error.number_format", field=field)
    typed = value.strip().replace("\u00a0", "").replace(" ", "")
    if typed.endswith("€"):
        typed = typed[:-1]
    if not typed:
        return None
    if not _DECIMAL.match(typed):
        raise UserError("error.number_format", field=field)
    return float(typed.replace(",", "."))


def parse_id(value: str | None) -> int | None:
    """A record id from an address (``?person=6``): ASCII digits that fit SQLite's
    integers, else None ("²", "٣" or 23 digits are no id)."""
    if not value:
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    number = int(value)
    return number if number > 0 else None


# SQLite's integers: a larger Python int cannot even be bound to a query (OverflowError).
_SQLITE_MAX = 2**63 - 1


def as_id(value: object) -> int | None:
    """A record id as a library function may be given it: a positive int that fits SQLite,
    or its ASCII digits (``parse_id``); None for anything else ("abc", "1,5", -1, 1.5,
    10**30), which the caller refuses as a record that does not exist. (True is 1, as
    SQLite reads it.)"""
    if isinstance(value, str):
        return parse_id(value)
    if not isinstance(value, int):
        return None
    return value if 0 < value <= _SQLITE_MAX else None


_WORD = re.compile(r"[^\W_]+")


def fold(text: str | None) -> str:
    """Lower case without diacritics, single spaces: "  ŽAGAR  Ćiril" -> "zagar ciril"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    # A space-like control (tab, line break, NEL) is kept, so split() below separates
    # words at it; other invisible characters (zero-width, bidi, NUL) are dropped.
    bare = "".join(c for c in decomposed
                   if not unicodedata.combining(c)
                   and (c.isspace() or unicodedata.category(c) not in _REFUSED_CATEGORIES))
    return " ".join(bare.casefold().split())


# The Slovenian alphabet puts č, š, ž right after c, s, z (and ć, đ of names from the
# other languages of the region after č and d); other marks are ignored in sorting.
_SORT_LETTERS = {"č": "c\ufffe", "ć": "c\uffff", "đ": "d\uffff", "š": "s\uffff",
                 "ž": "z\uffff"}


@functools.lru_cache(maxsize=8192)  # names and places repeat: every list sorts them again
def sort_key(text: str | None) -> str:
    """A key that sorts names and places the Slovenian way: "Cerklje", "Čeh", "Dovje",
    "Šenčur", "Tržič", "Žiri" (byte order puts every Č, Š and Ž after Z)."""
    lowered = (text or "").casefold()
    return "".join(_SORT_LETTERS.get(c) or fold(c) or c for c in lowered)


# The name of the SQLite collation that sorts by :func:`sort_key`; every connection of
# workbench.db has it, so ``ORDER BY p.last_name COLLATE sl`` sorts as the lists in Python do.
COLLATION = "sl"


def collate(left: str | None, right: str | None) -> int:
    """SQLite's collation callback for :data:`COLLATION`: -1, 0 or 1 by :func:`sort_key`
    (ties broken by the text itself, so "Ana" and "ana" keep one order)."""
    a, b = (sort_key(left), left or ""), (sort_key(right), right or "")
    return (a > b) - (a < b)


def words(text: str | None) -> list[str]:
    """The folded words of a name or a search: runs of letters and digits. A hyphen, an
    apostrophe or markup separates words ("Novak-Kos" is "novak", "kos")."""
    return _WORD.findall(fold(text))


def name_key(first_name: str, last_name: str) -> str:
    """The stored search key of a person: her folded words padded with spaces.

    The padding lets ``LIKE '% zag%'`` find a word that *starts* with what was
    typed, in any position ("zagar" and "cvetka" both find "Cvetka Žagar", "kos"
    finds "Ana Novak-Kos").
    """
    return f" {' '.join(words(first_name) + words(last_name))} "


def search_words(query: str | None) -> list[str]:
    """Words of a search box, as ``words`` (so LIKE wildcards and markup are dropped, not
    interpreted).

    A search longer than SEARCH_MAX characters or SEARCH_MAX_WORDS words is refused
    with a message rather than turned into a query of thousands of conditions.
    """
    query = query or ""
    found = words(query)
    if len(query) > SEARCH_MAX or len(found) > SEARCH_MAX_WORDS:
        raise UserError("error.search_too_long", n=SEARCH_MAX_WORDS)
    return found


# -- reasons: a typed reason goes into the audit log, which keeps it for ever -----------------
# The audit log's hash chain seals a reason as typed, and an anonymisation or erasure takes
# only a person's values out of the log, never a reason: a name or an EMŠO typed into one
# would outlive her record. 13 or more digits in a row, in groups split by single spaces
# ("0101990 500006"), are an EMŠO (or another personal number) as far as a reason goes.
_EMSO_LIKE = re.compile(r"(?<!\d)\d(?: ?\d){12,}(?!\d)")


def clean_reason(value: str | None, *, names: Iterable[str | None] = (),
                 required: bool = False, field: str | None = "reason") -> str | None:
    """A typed reason as :func:`clean` stores it (one line, SHORT_TEXT_MAX), refused when
    it holds an EMŠO-like number ("error.reason_has_emso") or a whole word of one of
    ``names`` -- the first and last name of the person it concerns
    ("error.reason_has_name"). Names are compared as :func:`words`: case and diacritics
    folded ("ANZE" is "Anže"), whole words only ("Koren" is not in "Korenine")."""
    cleaned = clean(value, limit=SHORT_TEXT_MAX, required=required, field=field)
    if cleaned is None:
        return None
    folded = fold(cleaned)  # NFKD: fullwidth digits are digits too
    if _EMSO_LIKE.search(folded):
        raise UserError("error.reason_has_emso", field=field)
    typed = set(words(folded))
    for name in names:
        if any(len(word) > 1 and word in typed for word in words(name)):
            raise UserError("error.reason_has_name", field=field)
    return cleaned
