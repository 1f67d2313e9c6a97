"""Where a TikTok order goes: the recipient as Shopify's ``MailingAddressInput``.

Apart from ``order_mapping`` because an address has rules of its own: TikTok
masks parts of it, names may come unsplit, and Shopify fails a whole order on a
province it cannot resolve, so US state names are turned into their codes here.
"""

from __future__ import annotations

from tiktok_console.domain.orders import RecipientFacts


def shipping_address(recipient: RecipientFacts) -> dict[str, str] | None:
    """Shopify's ``MailingAddressInput`` for the recipient, or None when there is none.

    Masked values are sent as TikTok gives them (``J***``, ``1*** Main St``):
    the order still shows the city, state and ZIP, and it is the address TikTok
    itself prints on the label. A masked phone is left out: Shopify validates
    phone numbers and the stars are not one.
    """
    if not recipient.has_address:
        return None
    first, last = _names(recipient)
    lines = recipient.address_lines
    fields = {
        "firstName": first,
        "lastName": last,
        "address1": lines[0] if lines else "",
        "address2": ", ".join(lines[1:]),
        "city": recipient.city,
        "provinceCode": province_code(recipient.province, recipient.country_code),
        "zip": recipient.zip,
        "countryCode": _country_code(recipient.country_code),
        "phone": "" if "*" in recipient.phone else recipient.phone,
    }
    return {key: value for key, value in fields.items() if value}


def _names(recipient: RecipientFacts) -> tuple[str, str]:
    if recipient.last_name:
        return recipient.first_name, recipient.last_name
    # TikTok repeats the full name in first_name when it has no split.
    first, _, last = (recipient.first_name or recipient.name).partition(" ")
    return first, last


def _country_code(code: str) -> str:
    code = code.strip().upper()
    return code if len(code) == 2 and code.isalpha() else ""


def province_code(province: str, country_code: str) -> str:
    """Shopify's province code for a state TikTok names (``California`` -> ``CA``).

    US states are looked up by name; a value that already looks like a code
    is kept. Elsewhere only codes are passed: a name Shopify cannot resolve
    would fail the whole order, an omitted province does not.
    """
    text = province.strip()
    if country_code.strip().upper() == "US":
        by_name = US_STATE_CODES.get(text.casefold())
        if by_name:
            return by_name
    if 1 < len(text) <= 3 and text.isalnum():
        return text.upper()
    return ""


_US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
    "GU": "Guam", "VI": "Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands", "AA": "Armed Forces Americas",
    "AE": "Armed Forces Europe", "AP": "Armed Forces Pacific",
}  # fmt: skip
US_STATE_CODES = {name.casefold(): code for code, name in _US_STATES.items()}
"""US state, district and territory names (casefolded) -> USPS codes, as Shopify uses."""
