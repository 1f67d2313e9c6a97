"""Shopify's description HTML rewritten as the small HTML TikTok accepts.

Shopify descriptions come from rich-text editors and page builders: tables,
inline styles, scripts, ``&nbsp;``, emojis, nested lists and images without
sizes. TikTok refuses descriptions over 10,000 characters, with more than 30
images, images without ``src``/``width``/``height``, escapes, emojis and
control characters (12052013, 12052056, 12052348, 12052932, 12052345 and
friends). The cleaner keeps only paragraphs, line breaks, bold, italic,
underline, flat lists and sized images, one canonical way, so that cleaning
its own output changes nothing and a re-push never edits a listing by itself.

Tags kept (assumption: the docs accept "all HTML tags" but convert some and
refuse unsupported ones or nesting with 12052345/12052349; the sandbox
refuses scripts, iframes, tables and styles, so we keep a conservative set):
``p``, ``br``, ``strong``, ``em``, ``u``, ``ul``, ``ol``, ``li``, ``img``.
Headings become bold paragraphs, table rows become paragraphs with cells
separated by " | ", links keep their text. In text, ``<`` and ``>`` become
``‹`` and ``›`` and an ``&`` that a parser could read as the start of an
escape becomes ``＆``, so the output holds no character reference at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from tiktok_console.domain.listing_html_model import (
    BREAK,
    Block,
    Image,
    ListBlock,
    Paragraph,
    Token,
    fit_image,
    normalize_block,
    render_block,
    safe_image_src,
    shrink_block,
)
from tiktok_console.domain.listing_regions import DESCRIPTION_MAX_CHARS, DESCRIPTION_MAX_IMAGES


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


# Void tags (embed, input, hr...) and unknown tags are simply ignored.
_DROP_WITH_CONTENT = _tags(
    "script style iframe object noscript template head title svg math video audio "
    "canvas select textarea button form frameset noembed"
)
_BLOCKS = _tags(
    "p div section article header footer main aside nav blockquote pre figure figcaption "
    "address center dl dt dd table thead tbody tfoot tr caption details summary "
    "h1 h2 h3 h4 h5 h6"
)
_HEADINGS = _tags("h1 h2 h3 h4 h5 h6")
_MARKS = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "u": "u"}


@dataclass(frozen=True)
class HostedImage:
    """A description image already uploaded to TikTok, with its size."""

    url: str
    width: int
    height: int


@dataclass(frozen=True)
class _RawImage:
    src: str
    width: int | None
    height: int | None


class _Reader(HTMLParser):
    """Reads any HTML into blocks of marked text tokens (no cleaning yet)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Paragraph | ListBlock | _RawImage] = []
        self._tokens: list[Token] = []
        self._marks: list[str] = []
        self._skip = 0
        self._list_depth = 0
        self._ordered = False
        self._list: ListBlock | None = None
        self._in_item = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip or tag in _DROP_WITH_CONTENT:
            self._skip += tag in _DROP_WITH_CONTENT
            return
        if tag == "br":
            self._tokens.append(BREAK)
        elif tag == "img":
            self._image(dict(attrs))
        elif tag in ("ul", "ol"):
            if self._list_depth == 0:
                self._flush()
                self._ordered = tag == "ol"
            self._list_depth += 1
        elif tag == "li":
            self._start_item()
        elif tag in _MARKS:
            self._marks.append(_MARKS[tag])
        elif tag in ("td", "th") and any(t is not BREAK for t in self._tokens):
            self._text(" | ")
        elif tag in _BLOCKS:
            self._flush()
            if tag in _HEADINGS:
                self._marks.append("strong")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= tag in _DROP_WITH_CONTENT
            return
        if tag in ("ul", "ol") and self._list_depth:
            self._list_depth -= 1
            if self._list_depth == 0:
                self._flush()
        elif tag == "li":
            self._end_item()
        elif tag in _MARKS and _MARKS[tag] in self._marks:
            self._pop_mark(_MARKS[tag])
        elif tag in _BLOCKS:
            self._flush()
            if tag in _HEADINGS and "strong" in self._marks:
                self._pop_mark("strong")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._list_depth and not self._in_item:
            if not data.strip():
                return  # the indentation between <li> elements
            self._start_item()
        self._text(data)

    def close(self) -> None:
        super().close()
        self._flush()
        self._list_depth = 0
        self._flush()

    def _text(self, text: str) -> None:
        marks = frozenset(self._marks)
        self._tokens.extend((char, marks) for char in text)

    def _pop_mark(self, mark: str) -> None:
        index = len(self._marks) - 1 - self._marks[::-1].index(mark)
        del self._marks[index]

    def _start_item(self) -> None:
        self._end_item()
        self._in_item = True

    def _end_item(self) -> None:
        if self._tokens:
            if self._list is None:
                self._list = ListBlock(self._ordered, [])
                self.blocks.append(self._list)
            self._list.items.append(self._tokens)
        self._tokens = []
        self._in_item = False

    def _flush(self) -> None:
        """Ends the current paragraph (inside a list item: a line break)."""
        if self._list_depth:
            if self._in_item:
                self._tokens.append(BREAK)
            return
        self._end_list()
        if self._tokens:
            self.blocks.append(Paragraph(self._tokens))
        self._tokens = []

    def _end_list(self) -> None:
        if self._list_depth or self._in_item:
            self._end_item()
        self._list = None

    def _image(self, attrs: dict[str, str | None]) -> None:
        in_list = self._list_depth > 0
        if in_list:
            self._end_item()
            self._list = None  # items after the image start a new list
        else:
            self._flush()
        src = (attrs.get("src") or "").strip()
        self.blocks.append(
            _RawImage(src, _pixels(attrs.get("width")), _pixels(attrs.get("height")))
        )


def _pixels(value: str | None) -> int | None:
    """A size attribute in pixels ("600" or "600px"); percentages and junk are no size."""
    text = (value or "").strip().lower().removesuffix("px").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or int(text) == 0:
        return None
    return int(text)


def _resolve(raw: _RawImage, hosted: Mapping[str, HostedImage] | None) -> Image | None:
    if hosted is not None:
        found = hosted.get(raw.src)
        # Already rewritten to a hosted URL (cleaning our own output)?
        already = any(image.url == raw.src for image in hosted.values())
        if found is None and already and raw.width and raw.height:
            found = HostedImage(raw.src, raw.width, raw.height)
        if found is None or not safe_image_src(found.url):
            return None
        return Image(found.url, *fit_image(found.width, found.height))
    if raw.width is None or raw.height is None or not safe_image_src(raw.src):
        return None
    return Image(raw.src, *fit_image(raw.width, raw.height))


def _read(description_html: str) -> list[Paragraph | ListBlock | _RawImage]:
    reader = _Reader()
    reader.feed(description_html)
    reader.close()
    return reader.blocks


def description_image_sources(description_html: str) -> list[str]:
    """The image addresses a description uses, in order, without repeats, at most 30.

    These are what the catalog job uploads to TikTok before cleaning with the
    resulting :class:`HostedImage` map.
    """
    sources: list[str] = []
    for block in _read(description_html):
        if isinstance(block, _RawImage) and safe_image_src(block.src) and block.src not in sources:
            sources.append(block.src)
    return sources[:DESCRIPTION_MAX_IMAGES]


def clean_description(
    description_html: str, hosted: Mapping[str, HostedImage] | None = None
) -> str:
    """``description_html`` as TikTok-safe HTML within TikTok's limits.

    Args:
        description_html: Shopify's ``descriptionHtml`` (or a TikTok override).
        hosted: Uploaded images by original address. With a map, images not in
            it are left out and the rest point at TikTok with TikTok's sizes;
            without one, images keep their address and need their own
            ``width`` and ``height`` attributes.

    Returns:
        At most 10,000 characters and 30 images; cleaning it again returns it.
    """
    blocks: list[Block] = []
    images = 0
    for raw in _read(description_html):
        if isinstance(raw, _RawImage):
            image = _resolve(raw, hosted) if images < DESCRIPTION_MAX_IMAGES else None
            images += image is not None
            blocks.extend([image] if image else [])
        else:
            blocks.extend(normalize_block(raw))
    return _within_limit(blocks)


def _within_limit(blocks: list[Block]) -> str:
    parts: list[str] = []
    used = 0
    for block in blocks:
        rendered = render_block(block)
        if used + len(rendered) > DESCRIPTION_MAX_CHARS:
            shrunk = shrink_block(block, DESCRIPTION_MAX_CHARS - used)
            parts.extend([render_block(shrunk)] if shrunk else [])
            break
        parts.append(rendered)
        used += len(rendered)
    return "".join(parts)


def description_text(description_html: str) -> str:
    """The words a buyer reads in a description, one line per paragraph or item."""
    lines: list[str] = []
    for raw in _read(description_html):
        if isinstance(raw, _RawImage):
            continue
        for block in normalize_block(raw):
            if isinstance(block, Paragraph):
                lines.append(block.text())
            elif isinstance(block, ListBlock):
                lines.extend(Paragraph(item).text() for item in block.items)
    return "\n".join(lines)
