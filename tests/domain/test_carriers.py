"""Carriers: name families, tracking formats, and the provider suggested for a Shopify carrier."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.carriers import (
    Provider,
    clean_tracking,
    family_of,
    suggest_provider,
    tracking_fits,
)

# TikTok's US list, as the logistics API returns it.
USPS = Provider("7117858858072016686", "USPS")
UPS = Provider("7117859084333745966", "UPS")
FEDEX = Provider("7117858983225231106", "FedEx")
DHL_ECOMMERCE = Provider("7129736880315631402", "DHL eCommerce")
ONTRAC = Provider("7132707835390346026", "OnTrac")
AMAZON = Provider("7248600717110282027", "Amazon Logistics")
US_LIST = (USPS, UPS, FEDEX, DHL_ECOMMERCE, ONTRAC, AMAZON)

upper_alnum = st.sampled_from(string.ascii_uppercase + string.digits)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("USPS", "USPS"),
        ("U.S.P.S.", "USPS"),
        ("United States Postal Service", "USPS"),
        ("Fedex", "FedEx"),
        ("FedEx Ground", "FedEx"),
        ("DHL eCommerce", "DHL eCommerce"),
        ("DHL ECommerce Solutions", "DHL eCommerce"),
        ("DHL Express", "DHL Express"),
        ("dhlexpress", "DHL Express"),
        ("Royal Mail", "Royal Mail"),
        ("Other", None),
        ("DHL", None),  # which DHL? the merchant decides
        ("", None),
    ],
)
def test_carrier_names_fall_into_families(name: str, family: str | None) -> None:
    found = family_of(name)
    assert (found.name if found else None) == family


def test_dhl_ecommerce_and_dhl_express_are_different_services() -> None:
    assert family_of("DHL eCommerce") is not family_of("DHL Express")
    assert suggest_provider("DHL Express", ["1234567890"], US_LIST) is None
    suggestion = suggest_provider("DHL eCommerce", ["GM123456789012345678"], US_LIST)
    assert suggestion is not None and suggestion.provider_id == DHL_ECOMMERCE.provider_id


@pytest.mark.parametrize(
    ("carrier", "expected"),
    [("USPS", USPS), ("usps", USPS), ("Fedex", FEDEX), ("UPS", UPS), ("Amazon", AMAZON)],
)
def test_a_known_name_is_suggested_with_full_confidence(carrier: str, expected: Provider) -> None:
    suggestion = suggest_provider(carrier, [], US_LIST)
    assert suggestion is not None
    assert (suggestion.provider_id, suggestion.score, suggestion.why) == (
        expected.provider_id,
        1.0,
        "name matches",
    )


def test_ups_numbers_identify_an_unnamed_carrier() -> None:
    numbers = ["1Z999AA10123456784", "1ZA8F2W10398473625", "1Z12345E0205271688"]
    suggestion = suggest_provider("Warehouse shipping", numbers, US_LIST)
    assert suggestion is not None
    assert suggestion.provider_id == UPS.provider_id
    assert suggestion.why == "tracking numbers look like UPS (1Z…)"
    assert 0.5 <= suggestion.score < 1.0


def test_usps_numbers_identify_an_unnamed_carrier() -> None:
    suggestion = suggest_provider("Post office", ["9400111899223344556677"], US_LIST)
    assert suggestion is not None and suggestion.provider_id == USPS.provider_id


def test_a_known_carrier_tiktok_does_not_list_gets_no_suggestion() -> None:
    assert suggest_provider("Royal Mail", ["AB123456789GB"], US_LIST) is None
    assert suggest_provider("Canada Post", ["1234567890123456"], US_LIST) is None


def test_other_gets_no_suggestion() -> None:
    assert suggest_provider("Other", ["LP123456789012"], US_LIST) is None


def test_a_misspelt_unknown_name_is_matched_by_similarity() -> None:
    suggestion = suggest_provider("OnTrack", [], US_LIST)
    # "OnTrack" is not a known spelling of OnTrac, but close enough to suggest.
    assert suggestion is not None and suggestion.provider_id == ONTRAC.provider_id
    assert suggestion.why == "name is similar" and suggestion.score < 1.0


def test_no_providers_means_no_suggestion() -> None:
    assert suggest_provider("USPS", ["9400111899223344556677"], []) is None


@pytest.mark.parametrize(
    ("provider", "number", "fits"),
    [
        ("UPS", "1Z999AA10123456784", True),
        ("UPS", "9400111899223344556677", False),
        ("USPS", "9400111899223344556677", True),
        ("USPS", "9400 1118 9922 3344 5566 77", True),  # spaces as printed on a label
        ("USPS", "EA123456789US", True),
        ("USPS", "1Z999AA10123456784", False),
        ("FedEx", "123456789012", True),
        ("FedEx", "1234567890", False),
        ("DHL eCommerce", "GM1234567890123456", True),
        ("DHL eCommerce", "1234567890123456789012", True),
        ("DHL eCommerce", "1234567890123456", False),  # TikTok refuses 16 digits for DHL eCommerce
        ("Royal Mail", "AB123456789GB", True),
        ("Some Local Courier", "ABC", None),
    ],
)
def test_tracking_fits(provider: str, number: str, fits: bool | None) -> None:
    assert tracking_fits(provider, number) is fits


@given(st.text(alphabet=upper_alnum, min_size=16, max_size=16))
def test_every_ups_number_fits_ups_and_not_usps(tail: str) -> None:
    number = "1Z" + tail
    assert tracking_fits("UPS", number) is True
    assert tracking_fits("USPS", number) is False
    assert suggest_provider("Courier", [number], US_LIST) is not None


@given(_digits(17))
def test_every_usps_parcel_number_fits_usps(tail: str) -> None:
    assert tracking_fits("USPS", "94001" + tail) is True
    assert tracking_fits("UPS", "94001" + tail) is False


@given(st.text(max_size=30), st.lists(st.text(max_size=25), max_size=5))
def test_suggestions_are_well_formed_for_any_input(carrier: str, numbers: list[str]) -> None:
    suggestion = suggest_provider(carrier, numbers, US_LIST)
    if suggestion is not None:
        assert 0.5 <= suggestion.score <= 1.0
        assert suggestion.provider_id in {p.provider_id for p in US_LIST}
        assert suggestion.why


@given(st.text(max_size=30), st.text(max_size=30))
def test_tracking_fits_never_raises(provider: str, number: str) -> None:
    assert tracking_fits(provider, number) in (True, False, None)


@given(st.text(alphabet=" \t" + string.ascii_letters + string.digits, max_size=30))
def test_clean_tracking_removes_blanks_and_upper_cases(number: str) -> None:
    cleaned = clean_tracking(number)
    assert not any(c.isspace() for c in cleaned) and cleaned == cleaned.upper()
