"""Fee rates set in Settings are what Payouts checks fees against; bad rates are refused.

One TikTok order (100.00 less a 10.00 seller discount, a TikTok Shipping
label) settled through an export with a 6 % referral fee: matched at the US
rates. The merchant sets the referral rate to 5 %: the same line now shows
0.90 of fee unexplained, on the Payouts page, without a sync. (The order was
never made in Shopify, so it is "explained", not "matched".)
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.ui.payout_world import order_on_file, settlement_export
from tiktok_console.core.settings import PayoutSettings, load_settings
from tiktok_console.profile import Profile
from tiktok_console.ui.pages.payouts import PayoutsPage
from tiktok_console.ui.pages.settings import SettingsPage
from tiktok_console.ui.pages.settings_payouts import RateError, parse_rate


@pytest.fixture
def world(shared_api: Path) -> None:
    order_on_file(shared_api)


def _status(page: PayoutsPage) -> str:
    """The order's status; its fees and label are routine, its Shopify order was never made."""
    [row] = [page.orders.row(n) for n in range(page.orders.rowCount())]
    assert {c for c, _, _ in row.causes} >= {"referral_fee", "shopify_order_missing"}
    return row.status


def test_a_changed_referral_rate_changes_what_payouts_flags(
    qtbot, context, settle, world: None, profile: Profile, tmp_path: Path
) -> None:
    payouts = PayoutsPage(context)
    qtbot.addWidget(payouts)
    payouts.import_files([settlement_export(tmp_path / "statement.csv")])
    settle()
    payouts.refresh()
    settle()
    assert _status(payouts) == "explained"
    settings = SettingsPage(context)
    qtbot.addWidget(settings)
    settle()
    assert settings.fee_rates.fields["referral_fee_percent"].placeholderText().startswith("6 ")
    settings.fee_rates.fields["referral_fee_percent"].setText("5")
    assert settings.has_unsaved_changes()
    settings.save_button.click()
    settle()
    assert profile.settings.payouts.referral_fee_percent == Decimal(5)
    saved = load_settings(profile.paths.settings_file).payouts
    assert saved.referral_fee_percent == Decimal(5)
    payouts.refresh()
    settle()
    [row] = [payouts.orders.row(n) for n in range(payouts.orders.rowCount())]
    assert row.status == "unexplained" and row.unexplained == Decimal("-0.90")
    [note] = [n for c, _, n in row.causes if c == "unexplained"]
    assert note == (
        "TikTok charged 5.40 for the referral fee where 4.50 was expected (5 % of the sale): "
        "0.90 more"
    )
    # The waterfall counts the whole-order line once: revenue, fees, shipping, settlement.
    assert row.waterfall_text == "90.00|-8.01|-7.50|0|74.49"
    assert "1 difference unexplained" in payouts._subtitle.text()
    # Back to the region's rate (an empty field): matched again.
    settings.fee_rates.fields["referral_fee_percent"].setText("")
    settings.save_button.click()
    settle()
    payouts.refresh()
    settle()
    assert _status(payouts) == "explained"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("six", "Referral fee: “six” is not a number"),
        ("45", "Referral fee: 45 % is out of range; type a number from 0 to 30 %"),
        ("-1", "out of range"),
        ("6.12345", "more than 3 decimals"),
    ],
)
def test_a_rate_that_cannot_be_used_is_refused_with_its_reason(
    qtbot, context, settle, profile: Profile, typed: str, said: str
) -> None:
    settings = SettingsPage(context)
    qtbot.addWidget(settings)
    settle()
    settings.fee_rates.fields["referral_fee_percent"].setText(typed)
    settings.save_button.click()
    assert settings.status.text().startswith("Not saved: ") and said in settings.status.text()
    assert profile.settings.payouts == PayoutSettings()


@given(st.decimals(min_value=0, max_value=30, places=3), st.sampled_from(["", " %", "%"]))
def test_any_percent_in_range_reads_back_exactly(value: Decimal, suffix: str) -> None:
    typed = f"{value}{suffix}"
    assert parse_rate(typed, "Referral fee", Decimal(30), " %", 3) == value
    assert parse_rate(typed.replace(".", ","), "Referral fee", Decimal(30), " %", 3) == value


@given(st.decimals(min_value=Decimal("30.001"), max_value=10**6, places=3))
def test_any_percent_above_the_range_is_refused(value: Decimal) -> None:
    with pytest.raises(RateError, match="out of range"):
        parse_rate(str(value), "Referral fee", Decimal(30), " %", 3)
