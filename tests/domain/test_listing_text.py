"""Titles TikTok accepts: no escapes, emojis or control characters; cuts at word boundaries."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.listing_regions import region_rules
from tiktok_console.domain.listing_text import (
    clean_attribute_text,
    clean_title,
    is_emoji,
    suggest_title_cut,
)

NASTY = ["&nbsp;", "&amp;", "&amp;nbsp;", "&#128512;", "&lt;b&gt;", "😀", "❤️", "\u200d", "\x00",
         "\t", "\n", "\u00a0", "&", ";", "#", "nbsp", "🇺🇸", "\ufeff", "\x7f"]  # fmt: skip
messy_text = st.lists(st.sampled_from(NASTY) | st.text(max_size=8), max_size=20).map("".join)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-',.", min_size=1, max_size=12)
plain_titles = st.lists(words, min_size=1, max_size=40).map(" ".join)


def _violations(title: str) -> list[str]:
    found = [c for c in title if is_emoji(c) or unicodedata.category(c) in ("Cc", "Cf")]
    found += re.findall(r"&#?[0-9A-Za-z]+;", title)
    if "  " in title or title != title.strip():
        found.append("whitespace")
    return found


@given(messy_text)
def test_a_cleaned_title_breaks_no_formatting_rule_and_cleaning_again_changes_nothing(
    title: str,
) -> None:
    cleaned = clean_title(title)
    assert _violations(cleaned) == []
    assert clean_title(cleaned) == cleaned


@given(plain_titles)
def test_a_plain_title_is_kept_as_written(title: str) -> None:
    assert clean_title(title) == title


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Organic&nbsp;Tee &amp; Shorts", "Organic Tee & Shorts"),
        ("Tee &amp;nbsp; Red", "Tee Red"),  # escaped twice by an editor
        ("🔥 Summer Tee 🔥", "Summer Tee"),
        ("Love ❤️ Mugs ©®™", "Love Mugs ©®™"),
        ("Tab\there\x00 zero\u200dwidth", "Tab here zerowidth"),
        ("R&D; kit", "R＆D; kit"),  # would still read as an escape
        ("AT&T case", "AT&T case"),
    ],
)
def test_examples(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_attribute_text_is_cleaned_and_cut() -> None:
    assert clean_attribute_text("Colour 🎨 &amp; pattern of the item", 20) == "Colour & pattern of"


long_titles = st.lists(words, min_size=1, max_size=80).map(" - ".join) | st.text(max_size=400)


@given(long_titles, st.integers(10, 300))
def test_a_suggested_cut_fits_starts_the_title_and_ends_on_a_word(title: str, limit: int) -> None:
    cut = suggest_title_cut(title, limit)
    text = title.strip()
    assert len(cut) <= limit
    assert text.startswith(cut)
    if len(text) <= limit:
        assert cut == text
    elif len(cut) * 2 >= limit and cut != text[:limit].rstrip():
        assert text[len(cut)] in " \t-–—|,;:/&+·•([" or text[len(cut)].isspace()
    if text:
        assert cut


def test_a_cut_drops_the_dangling_separator() -> None:
    title = "Organic Cotton Tee - Red - Size M"
    assert suggest_title_cut(title, 24) == "Organic Cotton Tee - Red"
    assert suggest_title_cut("X" * 300, 255) == "X" * 255


def test_region_limits_follow_the_create_product_reference() -> None:
    assert (region_rules("us").title_min, region_rules("US").title_max) == (1, 255)
    assert region_rules("GB").region == "UK"
    assert region_rules("BR").title_max == 300
    assert region_rules("TH").title_min == 25
    assert region_rules("US").weight_unit == "POUND"
    assert region_rules("US").dimension_unit == "INCH"
    assert (region_rules("DE").weight_unit, region_rules("DE").dimension_unit) == (
        "KILOGRAM",
        "CENTIMETER",
    )
    with pytest.raises(KeyError):
        region_rules("XX")
