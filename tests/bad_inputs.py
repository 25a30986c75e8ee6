"""A corpus of hostile and malformed inputs for every form (tests/test_bad_input.py).

Each entry is a ``Bad(label, value, ...)``; the label names the entry in test output (the
values themselves are often invisible). The groups are what a form field can receive:
typed TEXT (any text field and the search box), DATES (typed or picked), EMSO codes,
NUMBERS (hours, amounts, counts, ids as the widgets hand them over) and TYPED_NUMBERS
(amounts typed as text). ``ALL`` is the whole corpus.

Each entry carries its expected outcome, written by hand from the documented rules and
never computed with the code under test (an oracle that calls ``text.clean`` cannot catch
a bug of ``text.clean``):

* TEXT: ``line``, what a one-line field stores (``text.clean``: NFC; a control, format,
  surrogate, private-use or unassigned character refused as ``error.text_invisible``; a
  line break refused as ``error.text_line_break``; runs of whitespace made one space;
  trimmed; None when empty); ``lines``, what a multi-line field stores (line breaks kept
  as ``\n``, tabs and inner spaces kept, trimmed); both before the field's length limit,
  which the test applies. ``words``: the folded words a search looks for (lower case, no
  diacritics, no invisible characters, runs of letters and digits; compatibility forms
  such as fullwidth or ligatures taken apart), or a refusal (over 200 characters or 8
  words).
* DATES (and the blank TEXT entries): ``date``, what ``dates.coerce`` makes of it: the
  date, None when blank, or a refusal (``error.date_format``: not d.m.yyyy nor
  yyyy-mm-dd; ``error.date_invalid``: no such day).
* EMSO: ``emso``, what the person form of a woman born on 14 March 1988 does with it:
  the stored 13 ASCII digits, None when nothing was typed, or the refusal (checked in
  this order: ``error.emso_invalid``, ``error.emso_birth_date``, ``error.emso_sex``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Refused:
    """An expected refusal: the message key."""
    key: str

    def __repr__(self) -> str:
        return f"Refused({self.key})"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()  # no expectation written for this entry
KEPT = object()   # ``line``: stored exactly as typed
SAME = object()   # ``lines``: as ``line``

INVISIBLE = Refused("error.text_invisible")
LINE_BREAK = Refused("error.text_line_break")
SEARCH_TOO_LONG = Refused("error.search_too_long")
DATE_FORMAT = Refused("error.date_format")
DATE_INVALID = Refused("error.date_invalid")
EMSO_INVALID = Refused("error.emso_invalid")
EMSO_BIRTH_DATE = Refused("error.emso_birth_date")
EMSO_SEX = Refused("error.emso_sex")

# The person the EMSO entries are typed for, and valid codes worked out by hand (mod 11,
# weights 7 6 5 4 3 2 7 6 5 4 3 2; see test_bad_input._check_digit):
EMSO_BORN = dt.date(1988, 3, 14)
EMSO_OF_HER = "1403988505006"           # 14.3.1988, region 50, serial 500 (a woman)
EMSO_OF_HER_2 = "1403988505014"         # serial 501
EMSO_OF_A_MAN = "1403988500004"         # 14.3.1988, serial 000
EMSO_OF_ANOTHER_DAY = "1503988505000"   # 15.3.1988, serial 500


@dataclass(frozen=True)
class Bad:
    label: str
    value: object
    line: object = UNSET
    lines: object = UNSET
    words: object = UNSET
    date: object = UNSET
    emso: object = UNSET
    number: object = UNSET

    def __post_init__(self) -> None:
        if self.line is KEPT:
            object.__setattr__(self, "line", self.value)
        if self.lines is SAME:
            object.__setattr__(self, "lines", self.line)
        if isinstance(self.words, str):
            object.__setattr__(self, "words", tuple(self.words.split()))

    def __repr__(self) -> str:  # pytest ids and assertion messages stay readable
        return self.label


def _group(prefix: str, items: list[tuple]) -> tuple[Bad, ...]:
    labels = [f"{prefix}:{item[0]}" for item in items]
    assert len(set(labels)) == len(labels), "labels must be unique"
    return tuple(Bad(label, *item[1:]) for label, item in zip(labels, items, strict=True))


def _t(label: str, value: str, line: object, words: str | Refused, lines: object = SAME,
       date: object = UNSET) -> tuple:
    return (label, value, line, lines, words, date)


# -- text: every text field and the search box ------------------------------------------------
# _t(label, typed, one-line field, search words, multi-line field (default: as one-line),
#    date field (only the blank entries, used by the date test))
TEXT = _group("text", [
    # empty and whitespace: nothing typed (str.split/strip take every Unicode space)
    _t("empty", "", None, "", date=None),
    _t("space", " ", None, "", date=None),
    _t("tab", "\t", None, "", date=None),
    _t("newline", "\n", LINE_BREAK, "", None, date=None),
    _t("crlf-only", "\r\n", LINE_BREAK, "", None, date=None),
    _t("mixed-blank", "  \n\t  ", LINE_BREAK, "", None, date=None),
    _t("nbsp", "\u00a0", None, "", date=None),
    _t("ideographic-space", "\u3000", None, "", date=None),
    _t("em-space", "\u2003", None, "", date=None),
    _t("line-separator", "\u2028", None, "", date=None),
    # U+2029 is a space to str.split (one space in a one-line field), kept in a note.
    _t("paragraph-separator", "Ana\u2029Kos", "Ana Kos", "ana kos", "Ana\u2029Kos",
       date=DATE_FORMAT),
    # invisible and bidi: format characters (Cf) are refused; a search drops them
    _t("zwsp", "\u200b", INVISIBLE, "", date=DATE_FORMAT),
    _t("zw-mix", "\u200b\u200c\u200d", INVISIBLE, ""),
    _t("zwsp-inside", "Ana\u200bKos", INVISIBLE, "anakos"),
    _t("bom", "\ufeffAna", INVISIBLE, "ana"),
    _t("word-joiner", "\u2060", INVISIBLE, ""),
    _t("soft-hyphen", "Ana\u00adKos", INVISIBLE, "anakos"),
    _t("rtl-override", "\u202eanA", INVISIBLE, "ana"),
    _t("rtl-override-tail", "Ana Kos\u202e", INVISIBLE, "ana kos"),
    _t("ltr-override", "\u202dAna", INVISIBLE, "ana"),
    _t("bidi-isolate", "\u2066Ana\u2069", INVISIBLE, "ana"),
    _t("arabic-letter-mark", "\u061cAna", INVISIBLE, "ana"),
    _t("tag-chars", "Ana\U000e0041\U000e0042", INVISIBLE, "ana"),
    _t("mongolian-vowel-sep", "Ana\u180eKos", INVISIBLE, "anakos"),
    # controls and NUL (Cc): refused; a search drops them (a space-like control separates)
    _t("nul", "\x00", INVISIBLE, ""),
    _t("nul-inside", "Ana\x00Novak", INVISIBLE, "ananovak"),
    _t("nul-run", "\x00" * 10, INVISIBLE, ""),
    _t("ansi-colour", "\x1b[31mAna\x1b[0m", INVISIBLE, "31mana 0m"),
    _t("bell", "Ana\x07", INVISIBLE, "ana"),
    _t("backspace", "Ana\x08\x08\x08Eva", INVISIBLE, "anaeva"),
    _t("delete", "Ana\x7f", INVISIBLE, "ana"),
    _t("nel", "Ana\x85Kos", INVISIBLE, "ana kos"),
    _t("csi-c1", "\x9b31mAna", INVISIBLE, "31mana"),
    _t("vertical-tab", "Ana\x0bKos", INVISIBLE, "ana kos"),
    _t("form-feed", "Ana\x0cKos", INVISIBLE, "ana kos"),
    _t("carriage-return", "Ana\rKos", LINE_BREAK, "ana kos", "Ana\nKos"),
    _t("crlf-inside", "Ana\r\nKos", LINE_BREAK, "ana kos", "Ana\nKos"),
    _t("lf-inside", "Ana\nKos", LINE_BREAK, "ana kos", "Ana\nKos"),
    _t("escape-alone", "\x1b", INVISIBLE, ""),
    # surrogates (Cs), private use (Co), unassigned and non-characters (Cn)
    _t("lone-high-surrogate", "\ud800", INVISIBLE, ""),
    _t("lone-low-surrogate", "a\udfffb", INVISIBLE, "ab"),
    _t("half-emoji", "Ana\ud83d", INVISIBLE, "ana"),
    _t("private-use", "\ue000", INVISIBLE, ""),
    _t("private-use-plane15", "Ana\U000f0000", INVISIBLE, "ana"),
    _t("non-character", "\uffff", INVISIBLE, ""),
    _t("non-character-max", "\U0010ffff", INVISIBLE, ""),
    _t("unassigned", "Ana\u0378", INVISIBLE, "ana"),
    # emoji and combining marks (valid text: kept as typed, NFC); the ZWJ is Cf
    _t("emoji", "😀", KEPT, ""),
    _t("emoji-name", "Ana 😀 Kos", KEPT, "ana kos"),
    _t("emoji-zwj-family", "👩\u200d👩\u200d👧", INVISIBLE, ""),
    _t("flag", "🇸🇮", KEPT, ""),
    _t("emoji-variation", "❤\ufe0f", KEPT, ""),
    _t("decomposed-caron", "Z\u030cagar", "\u017dagar", "zagar"),
    _t("combining-acute", "Jose\u0301", "Jos\u00e9", "jose"),
    _t("combining-alone", "\u0301", KEPT, ""),
    # NFC puts the marks in canonical order: the standard library's NFC, not workbench's
    _t("zalgo", ZALGO := "Z\u0337\u0322\u031b\u0356a\u0338l\u0335g\u0336o\u0337" * 3,
       unicodedata.normalize("NFC", ZALGO), "zalgozalgozalgo"),
    _t("hebrew", "שלום", KEPT, "שלום"),
    _t("arabic", "مرحبا بالعالم", KEPT, "مرحبا بالعالم"),
    _t("cjk", "你好世界", KEPT, "你好世界"),
    # U+FDFA is one character that folds (NFKD) into four Arabic words
    _t("mixed-scripts", "Ана Kos ﷺ", KEPT, "ана kos صلى الله عليه وسلم"),
    _t("fullwidth-latin", "ＡＮＡ", KEPT, "ana"),
    _t("mathematical-bold", "𝐀𝐧𝐚", KEPT, "ana"),
    _t("ligature", "ﬁnance", KEPT, "finance"),
    # lengths (the limit is the field's; a search takes up to 200 characters and 8 words)
    _t("name-101", "x" * 101, KEPT, "x" * 101),
    _t("short-201", "y" * 201, KEPT, SEARCH_TOO_LONG),
    _t("note-4000", "n" * 4000, KEPT, SEARCH_TOO_LONG),
    _t("note-4001", "n" * 4001, KEPT, SEARCH_TOO_LONG),
    _t("50k-ascii", "a" * 50_000, KEPT, SEARCH_TOO_LONG),
    _t("50k-diacritics", "ž" * 50_000, KEPT, SEARCH_TOO_LONG),
    _t("50k-lines", "vrstica\n" * 6_250, LINE_BREAK, SEARCH_TOO_LONG,
       "vrstica\n" * 6_249 + "vrstica"),
    _t("emoji-2000", "😀" * 2000, KEPT, SEARCH_TOO_LONG),
    _t("many-words", " ".join(["beseda"] * 500), KEPT, SEARCH_TOO_LONG),
    # SQL injection: text like any other; quotes, wildcards and _ separate words
    _t("sql-drop", "'; DROP TABLE participants; --", KEPT, "drop table participants"),
    _t("sql-bobby", "Robert'); DROP TABLE users;--", KEPT, "robert drop table users"),
    _t("sql-or", "' OR '1'='1", KEPT, "or 1 1"),
    _t("sql-or-double", '" OR ""="', KEPT, "or"),
    _t("sql-union", "' UNION SELECT password_hash FROM users --", KEPT,
       "union select password hash from users"),
    _t("sql-stacked", "1; DELETE FROM audit_log", KEPT, "1 delete from audit log"),
    _t("sql-attach", "x'; ATTACH DATABASE '/tmp/evil.db' AS e; --", KEPT,
       "x attach database tmp evil db as e"),
    _t("sql-cast", "x' AND 1=CAST((SELECT sqlite_version()) AS INT)--", KEPT,
       SEARCH_TOO_LONG),  # nine words
    _t("sql-comment", "Ana/* */Kos", KEPT, "ana kos"),
    _t("like-percent", "%", KEPT, ""),
    _t("like-underscore", "_", KEPT, ""),
    _t("like-mix", "%a_%", KEPT, "a"),
    _t("backslash", "\\", KEPT, ""),
    _t("quotes", "'\"`", KEPT, ""),
    _t("null-word", "NULL", KEPT, "null"),
    _t("none-word", "None", KEPT, "none"),
    # HTML, JS, markdown: kept as typed (escaped where shown)
    _t("script", "<script>alert(1)</script>", KEPT, "script alert 1 script"),
    _t("img-onerror", "<img src=x onerror=alert(1)>", KEPT, "img src x onerror alert 1"),
    _t("svg-onload", "<svg onload=alert(1)>", KEPT, "svg onload alert 1"),
    _t("iframe", "<iframe src=//evil.example>", KEPT, "iframe src evil example"),
    _t("attr-break", "\"><script>alert(1)</script>", KEPT, "script alert 1 script"),
    _t("attr-break-single", "'><img src=x onerror=alert(1)>", KEPT,
       "img src x onerror alert 1"),
    _t("a-javascript", '<a href="javascript:alert(1)">x</a>', KEPT,
       "a href javascript alert 1 x a"),
    _t("md-link-js", "[x](javascript:alert(1))", KEPT, "x javascript alert 1"),
    _t("md-image-js", "![x](javascript:alert(1))", KEPT, "x javascript alert 1"),
    _t("md-link-data", "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
       KEPT, "klik data text html base64 phnjcmlwdd5hbgvydcgxktwvc2nyaxb0pg"),
    _t("javascript-url", "javascript:alert(document.cookie)", KEPT,
       "javascript alert document cookie"),
    _t("entity", "&lt;script&gt;alert(1)&lt;/script&gt;", KEPT,
       "lt script gt alert 1 lt script gt"),
    _t("style", "<style>body{display:none}</style>", KEPT, "style body display none style"),
    _t("md-emphasis", "**Ana** _Kos_ `koda`", KEPT, "ana kos koda"),
    _t("md-heading", "# Naslov", KEPT, "naslov"),
    _t("md-directive", ":red[nevarno] :material/warning:", KEPT, "red nevarno material warning"),
    _t("latex", "$$x^2$$", KEPT, "x 2"),
    _t("template", "{{7*7}} ${7*7}", KEPT, "7 7 7 7"),
    _t("url", "http://evil.example/x?a=1&b=2", KEPT, "http evil example x a 1 b 2"),
    _t("www", "www.evil.example", KEPT, "www evil example"),
    _t("path", "../../etc/passwd", KEPT, "etc passwd"),
    # number-like text ("-1" is also digits once the dash is dropped: an EMŠO search)
    _t("minus-one", "-1", KEPT, "1"),
    _t("huge-exponent", "1e309", KEPT, "1e309"),
    _t("nan-word", "NaN", KEPT, "nan"),
    _t("hex", "0x10", KEPT, "0x10"),
])

# A note for a successful save must read back as its ``lines`` expectation; these are the
# texts that should save in a multi-line field.
MULTILINE_KEEPERS = ("text:crlf-inside", "text:lf-inside", "text:carriage-return",
                     "text:note-4000")

# -- phone numbers and e-mail addresses ----------------------------------------------------
# (label, typed, what the person form stores or the refusal). A phone number is digits and
# + ( ) / . - and spaces, a + only first, at least 6 digits; up to 40 characters. An
# e-mail address is one @ with text before it and a dot in the text after it, no spaces.
PHONE_INVALID = Refused("error.phone_invalid")
EMAIL_INVALID = Refused("error.email_invalid")
PHONES = _group("phone", [(label, value, line) for label, value, line in [
    ("international", "+386 41 123 456", "+386 41 123 456"),
    ("slashes-dashes", "04/201-42-00", "04/201-42-00"),
    ("brackets", "(04) 201 42 00", "(04) 201 42 00"),
    ("dots", "041.123.456", "041.123.456"),
    ("six-digits", "123456", "123456"),
    ("trimmed", "  041 123 456  ", "041 123 456"),
    ("nbsp", "041\u00a0123\u00a0456", "041 123 456"),
    ("tabs", "041\t123\t456", "041 123 456"),
    ("forty", "0" * 40, "0" * 40),
    ("five-digits", "12345", PHONE_INVALID),
    ("prefix-only", "+386", PHONE_INVALID),
    ("extension-word", "041 123 456 int. 12", PHONE_INVALID),
    ("double-plus", "++386 41 123 456", PHONE_INVALID),
    ("plus-inside", "041+123456", PHONE_INVALID),
    ("arabic-indic", "٠٤١١٢٣٤٥٦", PHONE_INVALID),
    ("fullwidth", "０４１１２３４５６", PHONE_INVALID),   # NFC keeps fullwidth digits
    ("dashes-only", "-" * 10, PHONE_INVALID),
    ("letters", "041 ABC DEF", PHONE_INVALID),
    ("forty-one", "0" * 41, Refused("error.text_too_long")),
    ("zwsp", "041 123 456\u200b", INVISIBLE),
    ("line-break", "041\n123456", LINE_BREAK),
    ("blank", "   ", None),
]])
EMAILS = _group("email", [(label, value, line) for label, value, line in [
    ("plain", "ana.kos@example.si", "ana.kos@example.si"),
    ("trimmed", "  Ana.Kos@Example.SI ", "Ana.Kos@Example.SI"),
    ("plus-tag", "ana+sa@csd-kranj.si", "ana+sa@csd-kranj.si"),
    ("diacritics", "žan@šola.si", "žan@šola.si"),
    ("no-dot", "ana@localhost", EMAIL_INVALID),
    ("no-at", "ana.kos.example.si", EMAIL_INVALID),
    ("two-ats", "ana@kos@example.si", EMAIL_INVALID),
    ("nothing-before", "@example.si", EMAIL_INVALID),
    ("dot-last", "ana@example.", EMAIL_INVALID),
    ("space", "ana kos@example.si", EMAIL_INVALID),
    ("nbsp", "ana\u00a0@example.si", EMAIL_INVALID),  # the NBSP becomes a space
    ("zwsp", "ana@example.si\u200b", INVISIBLE),
    ("blank", " ", None),
]])

# Usernames (the rule is checked by tests/test_bad_input._username_expect): trimmed and
# lower-cased, 2 to 40 of a-z 0-9 . _ -, the first a letter or a digit.
USERNAMES = _group("username", [(label, value) for label, value in [
    ("plain", "ana.kos"), ("underscore", "ana_kos2"), ("upper-trimmed", " Maja.Zupan-2 "),
    ("two", "ab"), ("forty", "a" * 40), ("forty-one", "a" * 41), ("one", "a"),
    ("underscore-first", "_ana"), ("dot-first", ".ana"), ("dash-first", "-ana"),
    ("space", "ana kos"), ("diacritics", "žana"), ("at", "ana@kos"),
]])

# -- dates ------------------------------------------------------------------------------------
D = dt.date
DATES = _group("date", [
    # (label, typed, what dates.coerce makes of it)
    ("31-feb", "31.2.2024", UNSET, UNSET, UNSET, DATE_INVALID),
    ("30-feb", "30.2.2024", UNSET, UNSET, UNSET, DATE_INVALID),
    ("29-feb-non-leap", "29.2.2023", UNSET, UNSET, UNSET, DATE_INVALID),
    ("iso-zeros", "0000-00-00", UNSET, UNSET, UNSET, DATE_INVALID),
    ("dots-zeros", "00.00.0000", UNSET, UNSET, UNSET, DATE_INVALID),
    ("day-32", "32.1.2024", UNSET, UNSET, UNSET, DATE_INVALID),
    ("month-13", "1.13.2024", UNSET, UNSET, UNSET, DATE_INVALID),
    ("day-0", "0.1.2024", UNSET, UNSET, UNSET, DATE_INVALID),
    ("year-1", "1.1.0001", UNSET, UNSET, UNSET, D(1, 1, 1)),
    ("year-1899", "31.12.1899", UNSET, UNSET, UNSET, D(1899, 12, 31)),
    ("year-1900", "1.1.1900", UNSET, UNSET, UNSET, D(1900, 1, 1)),
    ("year-2016", "31.12.2016", UNSET, UNSET, UNSET, D(2016, 12, 31)),
    ("year-9999", "31.12.9999", UNSET, UNSET, UNSET, D(9999, 12, 31)),
    ("iso-9999", "9999-12-31", UNSET, UNSET, UNSET, D(9999, 12, 31)),
    ("year-10000", "1.1.10000", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("iso-30-feb", "2024-02-30", UNSET, UNSET, UNSET, DATE_INVALID),
    ("iso-month-13", "2024-13-01", UNSET, UNSET, UNSET, DATE_INVALID),
    ("slashes-iso", "2024/01/01", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("dashes-dmy", "01-01-2024", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("two-digit-year", "1.1.24", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("with-time", "14. 3. 2026 12:00", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("iso-datetime", "2026-03-14T00:00", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("word", "jutri", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("english-word", "tomorrow", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("blank", "   ", UNSET, UNSET, UNSET, None),
    ("double-dot", "14..3.2026", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("negative", "-1.1.2024", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("plus", "+14.3.2026", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("long-digits", "99999999999999999999.1.2024", UNSET, UNSET, UNSET, DATE_FORMAT),
    # NFKC makes fullwidth digits ASCII; Arabic-Indic digits are digits of a date too
    ("fullwidth", "\uff11\uff14.\uff13.\uff12\uff10\uff12\uff16", UNSET, UNSET, UNSET,
     D(2026, 3, 14)),
    ("arabic-indic", "١٤.٣.٢٠٢٦", UNSET, UNSET, UNSET, D(2026, 3, 14)),
    ("nul", "14.3.2026\x00", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("rtl", "\u202e14.3.2026", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("zwsp", "14.\u200b3.2026", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("script", "<script>alert(1)</script>", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("sql", "2026-01-01' OR '1'='1", UNSET, UNSET, UNSET, DATE_FORMAT),
    ("50k", "1" * 50_000, UNSET, UNSET, UNSET, DATE_FORMAT),
    ("date-min", dt.date.min, UNSET, UNSET, UNSET, D(1, 1, 1)),
    ("date-max", dt.date.max, UNSET, UNSET, UNSET, D(9999, 12, 31)),
    ("date-1900", D(1900, 1, 1), UNSET, UNSET, UNSET, D(1900, 1, 1)),
    ("far-past", D(1000, 1, 1), UNSET, UNSET, UNSET, D(1000, 1, 1)),
    # replaced by the test: today + 1 day, today + 40 years (the date is the one given)
    ("tomorrow", "tomorrow-relative", UNSET, UNSET, UNSET, "relative"),
    ("far-future", "far-future-relative", UNSET, UNSET, UNSET, "relative"),
    ("datetime", dt.datetime(2026, 3, 14, 23, 59), UNSET, UNSET, UNSET, D(2026, 3, 14)),
])

# -- EMŠO -----------------------------------------------------------------------------------
# (label, typed, what the form of a woman born 14.3.1988 stores or the refusal, the search
# words of the name search that does not take it for an EMŠO). A code is
# typed with spaces, dots or dashes as the user likes (dropped), in fullwidth or
# superscript digits (NFKC makes them ASCII); no other character is dropped.
EMSO = _group("emso", [(label, value, UNSET, UNSET, words, UNSET, stored)
                       for label, value, stored, words in [
    # 140398850512: no check digit fits
    ("wrong-check", "1403988505124", EMSO_INVALID, "1403988505124"),
    ("wrong-check-2", "1403988505120", EMSO_INVALID, "1403988505120"),
    ("twelve-digits", "140398850500", EMSO_INVALID, "140398850500"),
    ("fourteen-digits", "14039885050060", EMSO_INVALID, "14039885050060"),
    ("letter-o", "14039885O5006", EMSO_INVALID, "14039885o5006"),
    ("letters", "ABCDEFGHIJKLM", EMSO_INVALID, "abcdefghijklm"),
    ("zeros", "0000000000000", EMSO_INVALID, "0000000000000"),
    ("nines", "9999999999999", EMSO_INVALID, "9999999999999"),
    # checksum right, no 31 February
    ("31-feb", "3102988500001", EMSO_INVALID, "3102988500001"),
    ("month-13", "0113988500002", EMSO_INVALID, "0113988500002"),    # checksum right, no month 13
    ("day-0", "0003988500002", EMSO_INVALID, "0003988500002"),       # checksum right, no day 0
    ("future-year", "0101799500001", EMSO_BIRTH_DATE, "0101799500001"),  # 1.1.2799, checksum right
    # remainder 1: no digit fits
    ("no-check-digit", "0101990500020", EMSO_INVALID, "0101990500020"),
    # her code, last digit + 1
    ("wrong-check-of-her", "1403988505007", EMSO_INVALID, "1403988505007"),
    ("negative", "-1403988505006", EMSO_OF_HER, "1403988505006"),     # a dash is a separator
    ("plus", "+1403988505006", EMSO_INVALID, "1403988505006"),
    ("arabic-indic", "١٤٠٣٩٨٨٥٠٥٠٠٦", EMSO_INVALID, "١٤٠٣٩٨٨٥٠٥٠٠٦"),  # digits, but not ASCII ones
    ("superscript", "¹⁴⁰³⁹⁸⁸⁵⁰⁵⁰⁰⁶", EMSO_OF_HER, "1403988505006"),   # NFKC: ASCII digits
    ("nul-inside", "1403988\x00505006", EMSO_INVALID, "1403988505006"),
    ("rtl", "\u202e1403988505006", EMSO_INVALID, "1403988505006"),
    ("zwsp", "1403988\u200b505006", EMSO_INVALID, "1403988505006"),
    ("sql", "1403988505006' OR '1'='1", EMSO_INVALID, "1403988505006 or 1 1"),
    ("script", "<script>alert(1)</script>", EMSO_INVALID, "script alert 1 script"),
    ("like", "%", EMSO_INVALID, ""),
    ("emoji", "😀", EMSO_INVALID, ""),
    ("50k", "1" * 50_000, EMSO_INVALID, SEARCH_TOO_LONG),
    ("blank", "   ", None, ""),
    ("dots-dashes-only", ".-.-", None, ""),
    ("lone-surrogate", "1403988\ud800505006", EMSO_INVALID, "1403988505006"),
    ("valid", EMSO_OF_HER, EMSO_OF_HER, "1403988505006"),
    ("valid-spaced", "1403988 50-5006", EMSO_OF_HER, "1403988 50 5006"),
    ("valid-dotted", " 14.03.988.505.006 ", EMSO_OF_HER, "14 03 988 505 006"),
    ("valid-fullwidth", "１４０３９８８５０５００６", EMSO_OF_HER, "1403988505006"),
    ("valid-second-serial", EMSO_OF_HER_2, EMSO_OF_HER_2, "1403988505014"),
    ("wrong-sex", EMSO_OF_A_MAN, EMSO_SEX, "1403988500004"),
    ("wrong-birth-date", EMSO_OF_ANOTHER_DAY, EMSO_BIRTH_DATE, "1503988505000"),
]])

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
# (label, typed, what it reads as: "2,5" or "2.5", up to 6 digits and 2 decimals, spaces
# and a trailing € ignored; None when blank; anything else refused as error.number_format)
NUMBER_FORMAT = Refused("error.number_format")
TYPED_NUMBERS = _group("typed", [(label, value, UNSET, UNSET, UNSET, UNSET, UNSET, number)
                                 for label, value, number in [
    ("comma", "2,5", 2.5),
    ("dot", "2.5", 2.5),
    ("minus", "-2,5", NUMBER_FORMAT),
    ("huge", "999999,99", 999999.99),
    ("too-many-digits", "99999999", NUMBER_FORMAT),
    ("three-decimals", "2,505", NUMBER_FORMAT),
    ("thousands", "1.000,50", NUMBER_FORMAT),
    ("exponent", "1e3", NUMBER_FORMAT),
    ("inf", "inf", NUMBER_FORMAT),
    ("nan", "nan", NUMBER_FORMAT),
    ("letters", "abc", NUMBER_FORMAT),
    ("two-commas", "2,5,0", NUMBER_FORMAT),
    ("arabic-indic", "٢٫٥", NUMBER_FORMAT),   # the Arabic decimal separator is no , or .
    ("superscript", "²", NUMBER_FORMAT),
    ("euro", "2,30 €", 2.3),
    ("blank", "  ", None),
    ("nul", "2\x00", NUMBER_FORMAT),
    ("sql", "1; DROP TABLE enrolments", NUMBER_FORMAT),
    ("weekday-word", "ponedeljek", NUMBER_FORMAT),
]])

ALL = TEXT + PHONES + EMAILS + USERNAMES + DATES + EMSO + NUMBERS + TYPED_NUMBERS


def relative(bad: Bad, today: dt.date) -> object:
    """The value of an entry that depends on the day of the test."""
    if bad.value == "tomorrow-relative":
        return today + dt.timedelta(days=1)
    if bad.value == "far-future-relative":
        return today.replace(year=today.year + 40)
    return bad.value


def expected_date(bad: Bad, today: dt.date) -> object:
    """An entry's ``date`` expectation, the relative ones resolved."""
    return relative(bad, today) if bad.date == "relative" else bad.date
