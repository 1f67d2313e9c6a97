"""Plain text TikTok accepts in titles, attribute names and descriptions.

TikTok refuses a title, description or attribute that contains "HTML escape
characters (e.g., &nbsp;), emojis, or ASCII control characters" (errors
12052931-12052935), and Shopify text is full of them: ``&amp;nbsp;`` pasted
from editors, emojis in titles, tabs and zero-width joiners. Everything here
is a pure function of its input and idempotent, so cleaning twice is
cleaning once and a re-push never changes a listing by itself.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

# Extended pictographic blocks (Unicode emoji data), as ranges of code points.
# Arrows, ©, ® and ™ stay: they are text unless followed by U+FE0F, which goes.
_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),  # mahjong .. symbols and pictographs extended-A, flags
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0xFE00, 0xFE0F),  # variation selectors
    (0x20E3, 0x20E3),  # combining enclosing keycap
    (0xE0000, 0xE007F),  # tag characters (subdivision flags)
)
# Categories removed: controls, formats (zero-width joiners, BOM, bidi marks),
# surrogates, private use and unassigned code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_WHITESPACE = re.compile(r"\s+")
# What could still read as an HTML escape once everything is decoded.
_ESCAPE_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_FULLWIDTH_AMPERSAND = "\uff06"
# Where a title may be cut without leaving a dangling separator.
_CUT_TRAILERS = " \t-–—|,;:/&+·•(["


def is_emoji(char: str) -> bool:
    """Whether ``char`` is an emoji or part of an emoji sequence."""
    code = ord(char)
    return any(low <= code <= high for low, high in _EMOJI_RANGES)


@functools.cache
def _drop_char(char: str) -> bool:
    if char.isspace():
        return False  # tabs and newlines become spaces, not nothing
    return unicodedata.category(char) in _DROPPED_CATEGORIES or is_emoji(char)


def _one_round(text: str) -> str:
    # Remove first, then decode: "&n😀bsp;" must not become "&nbsp;" after the
    # emoji goes, and "&#128512;" must not become an emoji after decoding.
    kept = "".join(char for char in text if not _drop_char(char))
    decoded = html.unescape(kept)
    decoded = "".join(char for char in decoded if not _drop_char(char))
    return _WHITESPACE.sub(" ", decoded)


def clean_inline_text(text: str) -> str:
    """``text`` decoded and stripped of emojis and control characters.

    HTML entities are decoded until none is left (``&amp;nbsp;`` is a space),
    every run of whitespace (no-break spaces included) is one ASCII space, and
    an ampersand that would still read as an escape (``R&D;``) becomes a
    full-width one. Leading and trailing spaces are kept: the caller decides.
    """
    # A round that changes anything makes the text shorter, and the ampersand
    # rewrite only ever removes ASCII ampersands, so both loops end, and end on
    # a fixed point: cleaning is idempotent.
    if _already_clean(text):
        return text
    current = text
    while True:
        decoded = _one_round(current)
        while decoded != current:
            current, decoded = decoded, _one_round(decoded)
        rewritten = _ESCAPE_LIKE.sub(_FULLWIDTH_AMPERSAND, current)
        if rewritten == current:
            return current
        current = rewritten


def _already_clean(text: str) -> bool:
    if "&" in text or "  " in text:
        return False
    return not any(_drop_char(char) or (char.isspace() and char != " ") for char in set(text))


def clean_title(title: str) -> str:
    """A title TikTok accepts character by character (length is checked apart)."""
    return clean_inline_text(title).strip()


def clean_attribute_text(text: str, max_chars: int) -> str:
    """A sales attribute name or value: cleaned, and cut to ``max_chars``."""
    return clean_title(text)[:max_chars].rstrip()


def word_count(text: str) -> int:
    """Words in ``text`` (runs of characters between spaces)."""
    return len(text.split())


def suggest_title_cut(title: str, limit: int) -> str:
    """``title`` shortened to at most ``limit`` characters at a word boundary.

    The cut keeps the longest run of whole words that fits and drops a
    separator left dangling at its end ("Tee - Red -" becomes "Tee - Red").
    A title that is one long word, or whose first words alone fit in less
    than half the limit, is cut hard at the limit instead. A title that
    already fits comes back unchanged.
    """
    text = title.strip()
    if len(text) <= limit:
        return text
    hard = text[:limit].rstrip()
    boundary = max((i for i in range(limit + 1) if text[i].isspace()), default=-1)
    if boundary <= 0:
        return hard
    cut = text[:boundary].rstrip(_CUT_TRAILERS)
    return cut if len(cut) * 2 >= limit else hard
