"""Settings' fee-rate section: the rates the merchant expects TikTok to charge.

Each rate is typed as a percent (``6``, ``2.9``, ``6,5``) or left empty for the
region's published rate, shown as the field's placeholder. A value that is
not a number, or is out of range, is refused with a sentence naming the fee
and the range, and nothing is saved. Saved rates are what Payouts checks
every fee against: a fee above its rate is unexplained money.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QFormLayout, QLineEdit

from tiktok_console.core.settings import MAX_FEE_PERCENT, MAX_LABEL_COST, PayoutSettings
from tiktok_console.domain.reconciliation_inputs import REGION_FEE_RATES
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.sync.payouts.inputs import LABEL_COST

TITLE = "Payout fee rates"
NOTE = (
    "What you expect TikTok to charge, in percent of each sale after your discounts. "
    "Leave a rate empty to use your region's published one (shown in grey). Payouts "
    "names a fee above its rate as unexplained money."
)
# Setting name -> (the fee's name for the merchant, its settlement field).
PERCENTS: dict[str, tuple[str, Field]] = {
    "referral_fee_percent": ("Referral fee", Field.REFERRAL_FEE),
    "commission_fee_percent": ("Commission", Field.COMMISSION_FEE),
    "transaction_fee_percent": ("Transaction fee", Field.TRANSACTION_FEE),
}


class RateError(ValueError):
    """A typed rate that cannot be used; the message says which and why."""


def _number(text: str) -> Decimal | None:
    """``6``, ``2.9``, ``6,5``, ``6 %`` as a Decimal; None for an empty field."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(cleaned) from None
    if not value.is_finite():
        raise ValueError(cleaned)
    return value


def parse_rate(text: str, name: str, high: Decimal, unit: str, places: int) -> Decimal | None:
    """A typed rate or cost, checked; raises ``RateError`` with a sentence for the merchant."""
    hint = f"type a number from 0 to {high}{unit}, like {'6 or 2.9' if unit else '7.50'}"
    try:
        value = _number(text)
    except ValueError:
        raise RateError(f"{name}: “{text.strip()}” is not a number; {hint}.") from None
    if value is None:
        return None
    if not 0 <= value <= high:
        raise RateError(f"{name}: {value}{unit} is out of range; {hint}.")
    if -value.as_tuple().exponent > places:  # type: ignore[operator]  # finite: an int
        raise RateError(f"{name}: {value} has more than {places} decimals; {hint}.")
    return value


def region_rates(region: str) -> dict[str, Decimal | None]:
    """The region's published rates, per setting (None: the region does not charge it)."""
    base = REGION_FEE_RATES.get(region.upper(), REGION_FEE_RATES["US"])
    found: dict[str, Decimal | None] = {}
    for name, (_, field) in PERCENTS.items():
        rate = base.rates.get(field)
        found[name] = None if rate is None else rate * 100
    return found


class FeeRateFields:
    """The fee-rate rows of the Settings form."""

    def __init__(self, form: QFormLayout) -> None:
        self.fields: dict[str, QLineEdit] = {}
        for name, (title, _) in PERCENTS.items():
            self.fields[name] = self._field(form, f"{title} (%)")
        self.label_cost = self._field(form, "TikTok Shipping label cost")
        self.show_region("US")

    @staticmethod
    def _field(form: QFormLayout, title: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setMinimumWidth(200)
        form.addRow(title, edit)
        return edit

    def show_region(self, region: str) -> None:
        """Placeholders: the region's rate, or that the region does not charge the fee."""
        for name, rate in region_rates(region).items():
            text = f"{rate.normalize():f} (published rate)" if rate is not None else "not charged"
            self.fields[name].setPlaceholderText(text)
        self.label_cost.setPlaceholderText(f"{LABEL_COST} (default)")

    def show(self, chosen: PayoutSettings) -> None:
        """The saved rates (empty: the region's)."""
        for name, edit in self.fields.items():
            value = getattr(chosen, name)
            edit.setText("" if value is None else f"{value.normalize():f}")
        cost = chosen.label_cost
        self.label_cost.setText("" if cost is None else f"{cost:.2f}")

    def edited(self, current: PayoutSettings) -> PayoutSettings:
        """The rates as typed; raises ``RateError`` naming the first that cannot be used."""
        values: dict[str, Decimal | None] = {}
        for name, edit in self.fields.items():
            title = PERCENTS[name][0]
            values[name] = parse_rate(edit.text(), title, MAX_FEE_PERCENT, " %", 3)
        values["label_cost"] = parse_rate(
            self.label_cost.text(), "Label cost", MAX_LABEL_COST, "", 2
        )
        return PayoutSettings.model_validate({**current.model_dump(), **values})
