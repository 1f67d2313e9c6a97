"""Carriers: which TikTok shipping provider a Shopify tracking company is, and number formats.

Merchants type carrier names freely in Shopify ("Fedex", "U.S.P.S.", "DHL
eCommerce Solutions"), while TikTok accepts only the providers it lists for
an order's delivery option. Names are grouped into carrier *families* so that
spelling variants match and look-alikes do not: "DHL eCommerce" and "DHL
Express" are different services with different tracking numbers, and the
one must never be suggested for the other. Tracking-number formats identify
a carrier when the name does not (a company called "Shipping" whose numbers
all start ``1Z`` ships with UPS) and catch a number TikTok would refuse
before it is sent.

Formats (assumption: the carriers' public descriptions of their numbers):
UPS ``1Z`` + 16 letters/digits; USPS 20-22 digits (``94…``, ``92…``, ``93…``
for domestic parcels, optionally behind a ``420`` + ZIP routing prefix) or
the S10 form ``AA123456789US``; FedEx 12, 15, 20 or 22 digits; DHL eCommerce
``GM`` + 16-18 digits or 22 digits; DHL Express 10 digits (or ``JJD`` + 18);
Royal Mail ``AA123456789GB``; Canada Post 16 digits or ``AA123456789CA``;
OnTrac ``C``/``D`` + 14 digits; Amazon Logistics ``TBA`` + 12 digits;
LaserShip ``1LS`` + 12-15 digits or ``L`` + letter + 8 digits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz


@dataclass(frozen=True)
class Provider:
    """A TikTok shipping provider."""

    provider_id: str
    name: str


@dataclass(frozen=True)
class Suggestion:
    """The provider a Shopify carrier most likely is, with how sure and why."""

    provider_id: str
    provider_name: str
    score: float  # 0..1
    why: str


@dataclass(frozen=True)
class Family:
    """One carrier service: its names, the numbers it issues, and what identifies them.

    ``fits`` is lenient (every number the carrier issues); ``identifies`` is
    strict (numbers that could hardly be anyone else's), for suggestions.
    """

    name: str
    aliases: tuple[str, ...]
    fits: tuple[str, ...]
    identifies: tuple[str, ...]
    looks_like: str  # how its numbers look, for the merchant


FAMILIES: tuple[Family, ...] = (
    Family(
        "UPS",
        ("ups", "united parcel service", "ups ground", "ups mail innovations"),
        (r"1Z[0-9A-Z]{16}",),
        (r"1Z[0-9A-Z]{16}",),
        "1Z…",
    ),
    Family(
        "USPS",
        ("usps", "united states postal service", "us postal service", "us mail", "usps ground"),
        (r"\d{20,22}", r"420\d{5}(\d{4})?\d{20,22}", r"[A-Z]{2}\d{9}US"),
        (r"9[2-5]\d{18,20}", r"420\d{5}(\d{4})?9[2-5]\d{18,20}", r"[A-Z]{2}\d{9}US"),
        "9400…, 92…, 93…",
    ),
    Family(
        "FedEx",
        ("fedex", "federal express", "fedex ground", "fedex home delivery", "fedex express"),
        (r"\d{12}", r"\d{15}", r"\d{20}", r"\d{22}"),
        (r"\d{12}", r"\d{15}"),
        "12 or 15 digits",
    ),
    Family(
        "DHL eCommerce",
        ("dhl ecommerce", "dhl ecommerce solutions", "dhl ecs", "dhl global mail", "dhl smartmail"),
        (r"GM\d{16,18}", r"\d{22}"),
        (r"GM\d{16,18}",),
        "GM…",
    ),
    Family(
        "DHL Express",
        ("dhl express", "dhl express worldwide", "dhl international"),
        (r"\d{10}", r"JJD\d{18}"),
        (r"JJD\d{18}",),
        "10 digits",
    ),
    Family(
        "Royal Mail",
        ("royal mail", "parcelforce"),
        (r"[A-Z]{2}\d{9}GB",),
        (r"[A-Z]{2}\d{9}GB",),
        "AA123456789GB",
    ),
    Family(
        "Canada Post",
        ("canada post", "postes canada"),
        (r"\d{16}", r"[A-Z]{2}\d{9}CA"),
        (r"[A-Z]{2}\d{9}CA",),
        "16 digits",
    ),
    Family("OnTrac", ("ontrac",), (r"[CD]\d{14}",), (r"[CD]\d{14}",), "C… or D… + 14 digits"),
    Family(
        "Amazon Logistics",
        ("amazon logistics", "amazon shipping", "amzl", "amazon"),
        (r"TBA\d{12}",),
        (r"TBA\d{12}",),
        "TBA…",
    ),
    Family(
        "LaserShip",
        ("lasership", "laser ship", "lso"),
        (r"1LS\d{12,15}", r"L[A-Z]\d{8}"),
        (r"1LS\d{12,15}",),
        "1LS…",
    ),
)

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
SUGGEST_AT = 0.5  # below this a suggestion is noise: say nothing


def normalise(name: str) -> str:
    """A carrier name reduced to lower-case words: "U.S.P.S." and "usps" compare equal."""
    return " ".join(_NOT_ALNUM.sub(" ", name.casefold().replace(".", "")).split())


def clean_tracking(number: str) -> str:
    """A tracking number as carriers print it: no spaces, upper case."""
    return "".join(number.split()).upper()


def family_of(name: str) -> Family | None:
    """The carrier family a name denotes, if it is a known one."""
    key = normalise(name)
    squashed = key.replace(" ", "")
    for family in FAMILIES:
        for alias in (family.name, *family.aliases):
            known = normalise(alias)
            if key == known or squashed == known.replace(" ", ""):
                return family
    return None


def tracking_fits(provider_name: str, tracking_number: str) -> bool | None:
    """Whether a number looks like one ``provider_name`` issues; None when its format is unknown."""
    family = family_of(provider_name)
    if family is None:
        return None
    number = clean_tracking(tracking_number)
    return any(re.fullmatch(pattern, number) for pattern in family.fits)


def families_of_number(tracking_number: str) -> tuple[Family, ...]:
    """The families whose distinctive formats the number has."""
    number = clean_tracking(tracking_number)
    return tuple(
        f for f in FAMILIES if any(re.fullmatch(pattern, number) for pattern in f.identifies)
    )


def suggest_provider(
    carrier: str, tracking_numbers: Sequence[str], providers: Sequence[Provider]
) -> Suggestion | None:
    """The provider a Shopify carrier name (and its tracking numbers) most likely is.

    A known carrier name matches only providers of the same family; tracking
    numbers in a distinctive format vote for their family; an unknown name
    falls back to fuzzy similarity. None when nothing is convincing.
    """
    best: Suggestion | None = None
    for provider in providers:
        suggestion = _score(carrier, tracking_numbers, provider)
        if suggestion is not None and (best is None or suggestion.score > best.score):
            best = suggestion
    return best if best is not None and best.score >= SUGGEST_AT else None


def _score(carrier: str, numbers: Sequence[str], provider: Provider) -> Suggestion | None:
    mine, theirs = family_of(carrier), family_of(provider.name)
    if mine is not None and theirs is not None:
        if mine is theirs:
            return Suggestion(provider.provider_id, provider.name, 1.0, "name matches")
        return None  # two known, different services (DHL Express is not DHL eCommerce)
    share = _share_like(numbers, theirs)
    if share >= 0.5 and theirs is not None:
        why = f"tracking numbers look like {theirs.name} ({theirs.looks_like})"
        return Suggestion(provider.provider_id, provider.name, 0.5 + 0.4 * share, why)
    if mine is not None:
        return None  # a known carrier TikTok does not list under another name
    similarity = fuzz.token_set_ratio(normalise(carrier), normalise(provider.name)) / 100
    if similarity >= 0.8:
        return Suggestion(provider.provider_id, provider.name, 0.8 * similarity, "name is similar")
    return None


def _share_like(numbers: Sequence[str], family: Family | None) -> float:
    """The share of ``numbers`` in ``family``'s distinctive formats."""
    if family is None or not numbers:
        return 0.0
    hits = sum(family in families_of_number(n) for n in numbers)
    return hits / len(numbers)


def offered_provider(
    provider_id: str, provider_name: str, offered: Sequence[Provider]
) -> Provider | None:
    """The mapped provider as one of a delivery option's providers: by id, else by name.

    Provider ids are global at TikTok, but a mapping made for one delivery
    option may name a provider another option lists under another id; the
    same name then means the same carrier.
    """
    for provider in offered:
        if provider.provider_id == provider_id:
            return provider
    wanted = normalise(provider_name)
    for provider in offered:
        if wanted and normalise(provider.name) == wanted:
            return provider
    return None
