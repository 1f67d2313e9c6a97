"""Descriptions as TikTok-safe HTML: allowed tags only, sized images, limits, idempotent."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_console.domain.listing_html import (
    HostedImage,
    clean_description,
    description_image_sources,
    description_text,
)
from tiktok_console.domain.listing_text import is_emoji

ALLOWED = {"p", "br", "strong", "em", "u", "ul", "ol", "li", "img"}
INLINE = {"strong", "em", "u"}


class _Checker(HTMLParser):
    """Collects every way an output could break TikTok's description rules."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"tag {tag}")
        if tag == "img":
            self.images.append(dict(attrs))
            if set(dict(attrs)) != {"src", "width", "height"}:
                self.problems.append(f"img attrs {attrs}")
            return
        if attrs:
            self.problems.append(f"attrs on {tag}")
        if tag == "br":
            return
        parent = self.stack[-1] if self.stack else None
        allowed_parents = {
            "p": {None}, "ul": {None}, "ol": {None}, "li": {"ul", "ol"},
        }.get(tag, {"p", "li", *INLINE})  # fmt: skip
        if parent not in allowed_parents or (tag in INLINE and tag in self.stack):
            self.problems.append(f"{tag} inside {parent}")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced {tag}")

    def handle_data(self, data: str) -> None:
        if not self.stack or self.stack[-1] in ("ul", "ol"):
            self.problems.append(f"loose text {data!r}")
        for char in data:
            if is_emoji(char) or unicodedata.category(char) in ("Cc", "Cf") or char in "<>":
                self.problems.append(f"character {char!r}")

    def handle_entityref(self, name: str) -> None:
        self.problems.append(f"entity {name}")

    def handle_charref(self, name: str) -> None:
        self.problems.append(f"charref {name}")


def problems(output: str) -> list[str]:
    checker = _Checker()
    checker.feed(output)
    checker.close()
    found = checker.problems + [f"unclosed {tag}" for tag in checker.stack]
    if len(output) > 10_000:
        found.append("too long")
    if len(checker.images) > 30:
        found.append("too many images")
    for image in checker.images:
        if not (0 < int(image["width"] or 0) <= 4000 and 0 < int(image["height"] or 0) <= 4000):
            found.append(f"image size {image}")
    if re.search(r"&[0-9A-Za-z#]", re.sub(r"<[^>]*>", " ", output)):
        found.append("escape-like ampersand")
    return found


TAGS = ["p", "div", "span", "b", "strong", "i", "em", "u", "ul", "ol", "li", "h2", "table",
        "tr", "td", "script", "style", "iframe", "a", "font", "br", "section", "svg",
        "blockquote"]  # fmt: skip
PIECES = ["&nbsp;", "&amp;", "&amp;nbsp;", "&#128512;", "&lt;script&gt;", "😀", "❤️", "\u200d",
          "\x00", "\t", "\n", "  ", "&", "<", ">", "R&D;", "AT&T", "#", ";"]  # fmt: skip


def _tag(name: str, closing: bool, style: bool) -> str:
    if closing:
        return f"</{name}>"
    return f'<{name} style="color:red" class="x">' if style else f"<{name}>"


def _img(src: str, width: int | None, height: int | None) -> str:
    sizes = (f' width="{width}"' if width else "") + (f" height='{height}'" if height else "")
    return f'<img src="{src}"{sizes}>'


fragments = st.one_of(
    st.builds(_tag, st.sampled_from(TAGS), st.booleans(), st.booleans()),
    st.sampled_from(PIECES),
    st.text(max_size=12),
    st.builds(
        _img,
        st.sampled_from(["https://cdn.test/a.jpg", "https://cdn.test/b.png?x=1&y=2", "", "x y"]),
        st.none() | st.integers(1, 6000),
        st.none() | st.integers(1, 6000),
    ),
)
messy_html = st.lists(fragments, max_size=60).map("".join)


@settings(max_examples=300)
@given(messy_html)
def test_any_description_comes_out_valid_and_cleaning_again_changes_nothing(raw: str) -> None:
    cleaned = clean_description(raw)
    assert problems(cleaned) == []
    assert clean_description(cleaned) == cleaned


safe_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789.,!?'\"-:()%", min_size=1)
safe_paragraphs = st.lists(st.lists(safe_words, min_size=1, max_size=30), min_size=1, max_size=8)


@given(safe_paragraphs)
def test_plain_safe_text_is_kept_word_for_word(paragraphs: list[list[str]]) -> None:
    raw = "".join(f"<p>{' '.join(words)}</p>" for words in paragraphs)
    assert clean_description(raw) == raw
    assert description_text(raw) == "\n".join(" ".join(words) for words in paragraphs)


def test_editor_html_becomes_simple_html() -> None:
    raw = (
        '<h2 style="color:red">Care&nbsp;guide 🧺</h2>\n<ul>\n  <li>Wash <b>cold</b></li>\n'
        "  <li>Dry flat<ul><li>never tumble</li></ul></li>\n</ul><script>track()</script>"
        "<table><tr><td>Material</td><td>Cotton</td></tr></table>"
        'First line<br><br>Second line<br>third &amp;nbsp; line <a href="x">link</a>'
    )
    assert clean_description(raw) == (
        "<p><strong>Care guide</strong></p>"
        "<ul><li>Wash <strong>cold</strong></li><li>Dry flat</li><li>never tumble</li></ul>"
        "<p>Material | Cotton</p><p>First line</p><p>Second line<br>third line link</p>"
    )


def test_brackets_and_ampersands_never_read_as_markup() -> None:
    assert clean_description("<p>1 &lt; 2 &gt; 0, R&amp;D and AT&T &amp; co</p>") == (
        "<p>1 ‹ 2 › 0, R＆D and AT＆T & co</p>"
    )


def test_images_need_a_size_and_are_scaled_under_4000_px() -> None:
    raw = (
        '<p>Look<img src="https://cdn.test/a.jpg" width="8000px" height="2000">here</p>'
        '<img src="https://cdn.test/unsized.jpg">'
        '<img src="https://cdn.test/relative.jpg" width="100%" height="300">'
    )
    assert clean_description(raw) == (
        '<p>Look</p><img src="https://cdn.test/a.jpg" width="4000" height="1000" /><p>here</p>'
    )


def test_images_are_rehosted_with_tiktoks_sizes_and_others_left_out() -> None:
    raw = (
        '<img src="https://shop.test/a.jpg">'
        '<img src="https://shop.test/b.jpg" width="9" height="9">'
    )
    hosted = {"https://shop.test/a.jpg": HostedImage("https://tiktok.test/a", 800, 600)}
    cleaned = clean_description(raw, hosted)
    assert cleaned == '<img src="https://tiktok.test/a" width="800" height="600" />'
    assert clean_description(cleaned, hosted) == cleaned
    assert description_image_sources(raw) == ["https://shop.test/a.jpg", "https://shop.test/b.jpg"]


def test_at_most_30_images_are_kept() -> None:
    raw = "".join(
        f'<img src="https://cdn.test/{n}.jpg" width="100" height="100">' for n in range(40)
    )
    cleaned = clean_description(raw)
    assert cleaned.count("<img") == 30
    assert "/29.jpg" in cleaned and "/30.jpg" not in cleaned
    assert len(description_image_sources(raw)) == 30


@settings(max_examples=5, deadline=None)
@given(st.integers(1, 3), st.integers(0, 400))
def test_long_descriptions_are_cut_to_10000_characters_at_a_word(blocks: int, extra: int) -> None:
    words = [f"word{n}" for n in range(2200 + extra)]
    raw = "".join(f"<p>{' '.join(words)}</p>" for _ in range(blocks))
    cleaned = clean_description(raw)
    assert len(cleaned) <= 10_000
    assert problems(cleaned) == []
    kept = description_text(cleaned).split()
    assert kept == words[: len(kept)] and len(kept) > 1000


def test_a_long_list_keeps_its_first_items() -> None:
    raw = "<ul>" + "".join(f"<li>item {n} {'x' * 80}</li>" for n in range(200)) + "</ul>"
    cleaned = clean_description(raw)
    assert len(cleaned) <= 10_000 and cleaned.startswith("<ul><li>item 0 ")
    assert cleaned.endswith("</li></ul>") and problems(cleaned) == []
