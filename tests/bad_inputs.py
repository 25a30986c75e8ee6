"""A corpus of hostile and malformed inputs for every form (tests/test_bad_input.py).

Each entry is a ``Bad(label, value)``; the label names the entry in test output (the
values themselves are often invisible). The groups are what a form field can receive:
typed TEXT (any text field and the search box), DATES (typed or picked), EMSO codes,
NUMBERS (hours, amounts, counts, ids as the widgets hand them over) and TYPED_NUMBERS
(amounts typed as text). ``ALL`` is the whole corpus.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Bad:
    label: str
    value: object

    def __repr__(self) -> str:  # pytest ids and assertion messages stay readable
        return self.label


def _group(prefix: str, items: list[tuple[str, object]]) -> tuple[Bad, ...]:
    labels = [f"{prefix}:{label}" for label, _ in items]
    assert len(set(labels)) == len(labels), "labels must be unique"
    return tuple(Bad(label, value) for label, (_, value) in zip(labels, items, strict=True))


# -- text: every text field and the search box ------------------------------------------------
TEXT = _group("text", [
    # empty and whitespace
    ("empty", ""),
    ("space", " "),
    ("tab", "\t"),
    ("newline", "\n"),
    ("crlf-only", "\r\n"),
    ("mixed-blank", "  \n\t  "),
    ("nbsp", "\u00a0"),
    ("ideographic-space", "\u3000"),
    ("em-space", "\u2003"),
    ("line-separator", "\u2028"),
    ("paragraph-separator", "Ana\u2029Kos"),
    # invisible and bidi
    ("zwsp", "\u200b"),
    ("zw-mix", "\u200b\u200c\u200d"),
    ("zwsp-inside", "Ana\u200bKos"),
    ("bom", "\ufeffAna"),
    ("word-joiner", "\u2060"),
    ("soft-hyphen", "Ana\u00adKos"),
    ("rtl-override", "\u202eanA"),
    ("rtl-override-tail", "Ana Kos\u202e"),
    ("ltr-override", "\u202dAna"),
    ("bidi-isolate", "\u2066Ana\u2069"),
    ("arabic-letter-mark", "\u061cAna"),
    ("tag-chars", "Ana\U000e0041\U000e0042"),
    ("mongolian-vowel-sep", "Ana\u180eKos"),
    # controls and NUL
    ("nul", "\x00"),
    ("nul-inside", "Ana\x00Novak"),
    ("nul-run", "\x00" * 10),
    ("ansi-colour", "\x1b[31mAna\x1b[0m"),
    ("bell", "Ana\x07"),
    ("backspace", "Ana\x08\x08\x08Eva"),
    ("delete", "Ana\x7f"),
    ("nel", "Ana\x85Kos"),
    ("csi-c1", "\x9b31mAna"),
    ("vertical-tab", "Ana\x0bKos"),
    ("form-feed", "Ana\x0cKos"),
    ("carriage-return", "Ana\rKos"),
    ("crlf-inside", "Ana\r\nKos"),
    ("lf-inside", "Ana\nKos"),
    ("escape-alone", "\x1b"),
    # surrogates, private use, unassigned, non-characters
    ("lone-high-surrogate", "\ud800"),
    ("lone-low-surrogate", "a\udfffb"),
    ("half-emoji", "Ana\ud83d"),
    ("private-use", "\ue000"),
    ("private-use-plane15", "Ana\U000f0000"),
    ("non-character", "\uffff"),
    ("non-character-max", "\U0010ffff"),
    ("unassigned", "Ana\u0378"),
    # emoji and combining marks (valid text: kept as typed, NFC)
    ("emoji", "😀"),
    ("emoji-name", "Ana 😀 Kos"),
    ("emoji-zwj-family", "👩\u200d👩\u200d👧"),
    ("flag", "🇸🇮"),
    ("emoji-variation", "❤\ufe0f"),
    ("decomposed-caron", "Z\u030cagar"),
    ("combining-acute", "Jose\u0301"),
    ("combining-alone", "\u0301"),
    ("zalgo", "Z\u0337\u0322\u031b\u0356a\u0338l\u0335g\u0336o\u0337" * 3),
    ("hebrew", "שלום"),
    ("arabic", "مرحبا بالعالم"),
    ("cjk", "你好世界"),
    ("mixed-scripts", "Ана Kos ﷺ"),
    ("fullwidth-latin", "ＡＮＡ"),
    ("mathematical-bold", "𝐀𝐧𝐚"),
    ("ligature", "ﬁnance"),
    # lengths
    ("name-101", "x" * 101),
    ("short-201", "y" * 201),
    ("note-4000", "n" * 4000),
    ("note-4001", "n" * 4001),
    ("50k-ascii", "a" * 50_000),
    ("50k-diacritics", "ž" * 50_000),
    ("50k-lines", "vrstica\n" * 6_250),
    ("emoji-2000", "😀" * 2000),
    ("many-words", " ".join(["beseda"] * 500)),
    # SQL injection
    ("sql-drop", "'; DROP TABLE participants; --"),
    ("sql-bobby", "Robert'); DROP TABLE users;--"),
    ("sql-or", "' OR '1'='1"),
    ("sql-or-double", '" OR ""="'),
    ("sql-union", "' UNION SELECT password_hash FROM users --"),
    ("sql-stacked", "1; DELETE FROM audit_log"),
    ("sql-attach", "x'; ATTACH DATABASE '/tmp/evil.db' AS e; --"),
    ("sql-cast", "x' AND 1=CAST((SELECT sqlite_version()) AS INT)--"),
    ("sql-comment", "Ana/* */Kos"),
    ("like-percent", "%"),
    ("like-underscore", "_"),
    ("like-mix", "%a_%"),
    ("backslash", "\\"),
    ("quotes", "'\"`"),
    ("null-word", "NULL"),
    ("none-word", "None"),
    # HTML, JS, markdown
    ("script", "<script>alert(1)</script>"),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("iframe", "<iframe src=//evil.example>"),
    ("attr-break", "\"><script>alert(1)</script>"),
    ("attr-break-single", "'><img src=x onerror=alert(1)>"),
    ("a-javascript", '<a href="javascript:alert(1)">x</a>'),
    ("md-link-js", "[x](javascript:alert(1))"),
    ("md-image-js", "![x](javascript:alert(1))"),
    ("md-link-data", "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("javascript-url", "javascript:alert(document.cookie)"),
    ("entity", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("style", "<style>body{display:none}</style>"),
    ("md-emphasis", "**Ana** _Kos_ `koda`"),
    ("md-heading", "# Naslov"),
    ("md-directive", ":red[nevarno] :material/warning:"),
    ("latex", "$$x^2$$"),
    ("template", "{{7*7}} ${7*7}"),
    ("url", "http://evil.example/x?a=1&b=2"),
    ("www", "www.evil.example"),
    ("path", "../../etc/passwd"),
    # number-like text
    ("minus-one", "-1"),
    ("huge-exponent", "1e309"),
    ("nan-word", "NaN"),
    ("hex", "0x10"),
])

# A note for a successful save must read back as ``text.clean`` returns it; these are the
# texts that should save in a multi-line field (used to check the stored value).
MULTILINE_KEEPERS = ("text:crlf-inside", "text:lf-inside", "text:carriage-return",
                     "text:50k-lines", "text:note-4000")

# -- dates ------------------------------------------------------------------------------------
DATES = _group("date", [
    ("31-feb", "31.2.2024"),
    ("30-feb", "30.2.2024"),
    ("29-feb-non-leap", "29.2.2023"),
    ("iso-zeros", "0000-00-00"),
    ("dots-zeros", "00.00.0000"),
    ("day-32", "32.1.2024"),
    ("month-13", "1.13.2024"),
    ("day-0", "0.1.2024"),
    ("year-1", "1.1.0001"),
    ("year-1899", "31.12.1899"),
    ("year-1900", "1.1.1900"),
    ("year-2016", "31.12.2016"),
    ("year-9999", "31.12.9999"),
    ("iso-9999", "9999-12-31"),
    ("year-10000", "1.1.10000"),
    ("iso-30-feb", "2024-02-30"),
    ("iso-month-13", "2024-13-01"),
    ("slashes-iso", "2024/01/01"),
    ("dashes-dmy", "01-01-2024"),
    ("two-digit-year", "1.1.24"),
    ("with-time", "14. 3. 2026 12:00"),
    ("iso-datetime", "2026-03-14T00:00"),
    ("word", "jutri"),
    ("english-word", "tomorrow"),
    ("blank", "   "),
    ("double-dot", "14..3.2026"),
    ("negative", "-1.1.2024"),
    ("plus", "+14.3.2026"),
    ("long-digits", "99999999999999999999.1.2024"),
    ("fullwidth", "\uff11\uff14.\uff13.\uff12\uff10\uff12\uff16"),
    ("arabic-indic", "١٤.٣.٢٠٢٦"),
    ("nul", "14.3.2026\x00"),
    ("rtl", "\u202e14.3.2026"),
    ("zwsp", "14.\u200b3.2026"),
    ("script", "<script>alert(1)</script>"),
    ("sql", "2026-01-01' OR '1'='1"),
    ("50k", "1" * 50_000),
    ("date-min", dt.date.min),
    ("date-max", dt.date.max),
    ("date-1900", dt.date(1900, 1, 1)),
    ("far-past", dt.date(1000, 1, 1)),
    ("tomorrow", "tomorrow-relative"),   # replaced by the test: today + 1 day
    ("far-future", "far-future-relative"),  # replaced by the test: today + 40 years
    ("datetime", dt.datetime(2026, 3, 14, 23, 59)),
])

# -- EMŠO -----------------------------------------------------------------------------------
EMSO = _group("emso", [
    ("wrong-check", "1403988505124"),
    ("wrong-check-2", "1403988505120"),
    ("twelve-digits", "140398850512"),
    ("fourteen-digits", "14039885051230"),
    ("letter-o", "14039885O5123"),
    ("letters", "ABCDEFGHIJKLM"),
    ("zeros", "0000000000000"),
    ("nines", "9999999999999"),
    ("31-feb", "3102988500006"),
    ("month-13", "0113988500005"),
    ("day-0", "0003988500008"),
    ("future-year", "0101799500001"),   # 1.1.2799, checksum right
    ("no-check-digit", "0101990500020"),  # remainder 1: no check digit fits these 12
    ("negative", "-1403988505123"),
    ("plus", "+1403988505123"),
    ("arabic-indic", "١٤٠٣٩٨٨٥٠٥١٢٣"),
    ("superscript", "¹⁴⁰³⁹⁸⁸⁵⁰⁵¹²³"),
    ("nul-inside", "1403988\x00505123"),
    ("rtl", "\u202e1403988505123"),
    ("zwsp", "1403988\u200b505123"),
    ("sql", "1403988505123' OR '1'='1"),
    ("script", "<script>alert(1)</script>"),
    ("like", "%"),
    ("emoji", "😀"),
    ("50k", "1" * 50_000),
    ("blank", "   "),
    ("dots-dashes-only", ".-.-"),
    ("lone-surrogate", "1403988\ud800505123"),
    ("wrong-sex", "male-of-the-form"),         # replaced by the test: a valid man's EMŠO
    ("wrong-birth-date", "other-birth-date"),  # replaced by the test: valid, another day
])

# -- numbers as the widgets hand them over (ints, floats, None, odd types) -------------------
NUMBERS = _group("number", [
    ("minus-one", -1),
    ("zero", 0),
    ("negative-zero", -0.0),
    ("half", 0.5),
    ("fraction", 2.999),
    ("just-over-12", 12.0001),
    ("big", 10**6),
    ("int64-max", 2**63 - 1),
    ("int64-min", -(2**63)),
    ("parse-id-max", 10**18 - 1),
    ("nan", float("nan")),
    ("inf", float("inf")),
    ("minus-inf", float("-inf")),
    ("max-float", 1.7976931348623157e308),
    ("tiny", 5e-324),
    ("true", True),
    ("none", None),
])

# -- amounts and figures typed as text ------------------------------------------------------
TYPED_NUMBERS = _group("typed", [
    ("comma", "2,5"),
    ("minus", "-2,5"),
    ("huge", "999999,99"),
    ("too-many-digits", "99999999"),
    ("thousands", "1.000,50"),
    ("exponent", "1e3"),
    ("inf", "inf"),
    ("nan", "nan"),
    ("letters", "abc"),
    ("two-commas", "2,5,0"),
    ("arabic-indic", "٢٫٥"),
    ("superscript", "²"),
    ("euro", "2,30 €"),
    ("blank", "  "),
    ("nul", "2\x00"),
    ("sql", "1; DROP TABLE enrolments"),
    ("weekday-word", "ponedeljek"),
])

ALL = TEXT + DATES + EMSO + NUMBERS + TYPED_NUMBERS


def relative(bad: Bad, today: dt.date) -> object:
    """The value of an entry that depends on the day of the test."""
    if bad.value == "tomorrow-relative":
        return today + dt.timedelta(days=1)
    if bad.value == "far-future-relative":
        return today.replace(year=today.year + 40)
    return bad.value
