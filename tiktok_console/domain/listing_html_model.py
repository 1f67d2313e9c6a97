"""The small document model behind the description cleaner, in canonical form.

A description is a list of blocks: paragraphs and list items hold tokens
(a character with its marks, or a line break), images stand alone. Each
block has exactly one canonical form (spaces collapsed, no break at an edge,
marks on a space only when both neighbours share them), and rendering a
canonical block then reading it back gives the same block: that is what
makes :func:`listing_html.clean_description` idempotent.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from itertools import groupby
from typing import Final

from tiktok_console.domain.listing_regions import DESCRIPTION_IMAGE_MAX_PX
from tiktok_console.domain.listing_text import clean_inline_text

_MARK_ORDER = ("strong", "em", "u")
_NO_MARKS: frozenset[str] = frozenset()


class _Break:
    """A ``<br>``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BREAK"


BREAK: Final = _Break()
Char = tuple[str, frozenset[str]]
Token = Char | _Break


@dataclass
class Paragraph:
    """A ``<p>``."""

    tokens: list[Token]

    def text(self) -> str:
        """The paragraph's words, a line break read as a space."""
        return "".join(" " if isinstance(t, _Break) else t[0] for t in self.tokens)


@dataclass
class ListBlock:
    """A ``<ul>`` or ``<ol>`` of items, never nested."""

    ordered: bool
    items: list[list[Token]]


@dataclass(frozen=True)
class Image:
    """An ``<img>`` with the size TikTok requires."""

    src: str
    width: int
    height: int


Block = Paragraph | ListBlock | Image


def _cleaned(tokens: list[Token]) -> list[Token]:
    """Text decoded and cleaned run by run; ``<``/``>`` replaced; risky ``&`` made full-width."""
    out: list[Token] = []
    for key, group in groupby(tokens, key=lambda t: t[1] if isinstance(t, tuple) else None):
        if key is None:
            out.extend(group)
            continue
        text = clean_inline_text("".join(t[0] for t in group if isinstance(t, tuple)))
        text = text.replace("<", "\u2039").replace(">", "\u203a")
        out.extend((char, key) for char in text)
    for index, token in enumerate(out):
        after = out[index + 1] if index + 1 < len(out) else BREAK
        # "&" then a letter, digit or "#" could be read back as an escape.
        if _is_char(token, "&") and isinstance(after, tuple) and _starts_escape(after[0]):
            out[index] = ("\uff06", _token_marks(token))
    return out


def _spaced(tokens: list[Token]) -> list[Token]:
    """Spaces collapsed and kept only between two characters; edge breaks dropped."""
    out: list[Token] = []
    for token in tokens:
        if isinstance(token, tuple) and token[0] == " ":
            if out and isinstance(out[-1], tuple) and out[-1][0] != " ":
                out.append(token)
        else:
            if isinstance(token, _Break):
                while out and isinstance(out[-1], tuple) and out[-1][0] == " ":
                    out.pop()
                if not out:
                    continue
            out.append(token)
    while out and (isinstance(out[-1], _Break) or out[-1][0] == " "):
        out.pop()
    for index, token in enumerate(out):
        if isinstance(token, tuple) and token[0] == " ":
            before, after = out[index - 1], out[index + 1]
            assert isinstance(before, tuple) and isinstance(after, tuple)
            out[index] = (" ", before[1] & after[1])
    return out


def canonical(tokens: list[Token]) -> list[Token]:
    """``tokens`` in their one canonical form (a fixed point of this function)."""
    current = tokens
    while True:
        following = _spaced(_cleaned(current))
        if following == current:
            return current
        current = following


def _split_on_double_breaks(tokens: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for index, token in enumerate(tokens):
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        before = tokens[index - 1] if index else None
        if isinstance(token, _Break) and (isinstance(after, _Break) or isinstance(before, _Break)):
            if parts[-1]:
                parts.append([])
            continue
        parts[-1].append(token)
    return [part for part in parts if part]


def normalize_block(block: Paragraph | ListBlock) -> list[Block]:
    """Canonical blocks for ``block``: none when it is empty.

    Two or more line breaks in a row end a paragraph (how editors mark one);
    in a list item they are one line break.
    """
    if isinstance(block, Paragraph):
        # Parts of canonical tokens split at double breaks are canonical.
        return [Paragraph(part) for part in _split_on_double_breaks(canonical(block.tokens))]
    items = [_single_breaks(canonical(item)) for item in block.items]
    kept = [item for item in items if item]
    return [ListBlock(block.ordered, kept)] if kept else []


def _single_breaks(tokens: list[Token]) -> list[Token]:
    return [
        t for i, t in enumerate(tokens) if not (isinstance(t, _Break) and i and tokens[i - 1] is t)
    ]


def render_tokens(tokens: list[Token]) -> str:
    """Inline HTML for canonical tokens, marks nested strong > em > u."""
    parts: list[str] = []
    for key, group in groupby(tokens, key=lambda t: t[1] if isinstance(t, tuple) else None):
        if key is None:
            parts.extend("<br>" for _ in group)
            continue
        marks = [mark for mark in _MARK_ORDER if mark in key]
        parts.extend(f"<{mark}>" for mark in marks)
        parts.append("".join(t[0] for t in group if isinstance(t, tuple)))
        parts.extend(f"</{mark}>" for mark in reversed(marks))
    return "".join(parts)


def render_block(block: Block) -> str:
    """One canonical block as HTML."""
    if isinstance(block, Image):
        return f'<img src="{block.src}" width="{block.width}" height="{block.height}" />'
    if isinstance(block, Paragraph):
        return f"<p>{render_tokens(block.tokens)}</p>"
    tag = "ol" if block.ordered else "ul"
    items = "".join(f"<li>{render_tokens(item)}</li>" for item in block.items)
    return f"<{tag}>{items}</{tag}>"


def safe_image_src(src: str) -> bool:
    """Whether ``src`` can stand in an ``<img>`` as it is and read back the same."""
    return (
        src.startswith(("https://", "http://"))
        and html.unescape(src) == src
        and clean_inline_text(src) == src
        and not any(char in src for char in " \"'<>`")
    )


def fit_image(width: int, height: int) -> tuple[int, int]:
    """The size scaled down (ratio kept) to TikTok's 4000 px bound."""
    scale = max(width, height)
    if scale <= DESCRIPTION_IMAGE_MAX_PX:
        return width, height
    fit = DESCRIPTION_IMAGE_MAX_PX
    return max(1, width * fit // scale), max(1, height * fit // scale)


def shrink_block(block: Block, budget: int) -> Block | None:
    """The longest start of ``block`` whose HTML fits in ``budget`` characters.

    A paragraph is cut at a word boundary (hard when its first word alone is
    too long), a list keeps its first items, an image does not shrink.
    """
    if isinstance(block, Image):
        return None
    if isinstance(block, ListBlock):
        for count in range(len(block.items) - 1, 0, -1):
            shorter = ListBlock(block.ordered, block.items[:count])
            if len(render_block(shorter)) <= budget:
                return shorter
        return None
    # The tokens are canonical, so a prefix cut before a space only needs its
    # trailing breaks dropped to be canonical too.
    low, high, best = 1, len(block.tokens), None
    while low <= high:
        middle = (low + high) // 2
        candidate = Paragraph(_trimmed(_word_prefix(block.tokens, middle)))
        if candidate.tokens and len(render_block(candidate)) <= budget:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best


def _trimmed(tokens: list[Token]) -> list[Token]:
    end = len(tokens)
    while end and (isinstance(tokens[end - 1], _Break) or _is_char(tokens[end - 1], " ")):
        end -= 1
    return tokens[:end]


def _word_prefix(tokens: list[Token], length: int) -> list[Token]:
    if length >= len(tokens) or _is_char(tokens[length], " "):
        return tokens[:length]
    space = next((i for i in range(length - 1, 0, -1) if _is_char(tokens[i], " ")), None)
    return tokens[:space] if space else tokens[:length]


def _is_char(token: Token, char: str) -> bool:
    return isinstance(token, tuple) and token[0] == char


def _starts_escape(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "#")


def _token_marks(token: Token) -> frozenset[str]:
    return token[1] if isinstance(token, tuple) else _NO_MARKS
