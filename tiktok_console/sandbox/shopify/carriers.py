"""Carriers the simulated warehouse ships with, and their tracking number formats.

The mix deliberately includes carriers TikTok Shop does not list ("DHL Express",
"Other", "Royal Mail", "Canada Post") so the app must map or flag them.
Formats (assumption, from the carriers' public tracking-number descriptions):
USPS ``9400 1…`` 22 digits; UPS ``1Z`` + 16 upper-case alphanumerics; FedEx 12
digits; DHL Express 10 digits; DHL eCommerce ``GM`` + 18 digits or 16-22 digits;
Royal Mail ``AA123456789GB``; Canada Post 16 digits.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

Generator = Callable[[random.Random], str]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _usps(rng: random.Random) -> str:
    return "94001" + _digits(rng, 17)


def _ups(rng: random.Random) -> str:
    alphabet = string.ascii_uppercase + string.digits
    return "1Z" + "".join(rng.choice(alphabet) for _ in range(16))


def _dhl_ecommerce(rng: random.Random) -> str:
    return "GM" + _digits(rng, 18) if rng.random() < 0.6 else _digits(rng, rng.randint(16, 22))


def _royal_mail(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(2)) + _digits(rng, 9) + "GB"


def _other(rng: random.Random) -> str:
    return "LP" + _digits(rng, 12)


@dataclass(frozen=True)
class Carrier:
    """A carrier name as merchants type it in Shopify, and how to make its numbers."""

    company: str
    weight: float
    make_number: Generator
    url_template: str | None


CARRIERS: tuple[Carrier, ...] = (
    Carrier("USPS", 0.30, _usps, "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}"),
    Carrier("UPS", 0.20, _ups, "https://www.ups.com/track?tracknum={n}"),
    Carrier(
        "FedEx", 0.15, lambda r: _digits(r, 12), "https://www.fedex.com/fedextrack/?trknbr={n}"
    ),
    Carrier(
        "DHL Express",
        0.07,
        lambda r: _digits(r, 10),
        "https://www.dhl.com/en/express/tracking.html?AWB={n}",
    ),
    Carrier(
        "DHL eCommerce",
        0.12,
        _dhl_ecommerce,
        "https://webtrack.dhlecs.com/orders?trackingNumber={n}",
    ),
    Carrier("Other", 0.06, _other, None),
    Carrier(
        "Royal Mail",
        0.05,
        _royal_mail,
        "https://www.royalmail.com/track-your-item#/tracking-results/{n}",
    ),
    Carrier(
        "Canada Post",
        0.05,
        lambda r: _digits(r, 16),
        "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={n}",
    ),
)


def pick_tracking(rng: random.Random) -> tuple[str, str, str | None]:
    """(company, number, url) for one shipment, drawn from the weighted carrier mix."""
    carrier = rng.choices(CARRIERS, weights=[c.weight for c in CARRIERS])[0]
    number = carrier.make_number(rng)
    url = carrier.url_template.format(n=number) if carrier.url_template else None
    return carrier.company, number, url
