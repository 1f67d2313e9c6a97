"""The Overview's Payouts card: the last payout, whether the bank has it, what is unexplained.

The card reads for itself through the long-work runner, so the Overview
needs only to place it and ask it to refresh.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from tiktok_console.ui.cell_text import money_text
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Card
from tiktok_console.ui.pages.payouts_data import PayoutsSummary, load_summary
from tiktok_console.ui.theme import DANGER, SUCCESS


class PayoutsCard(Card):
    """Last payout and unexplained money."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__("Payouts", parent)
        self._context = context
        self.set_content("—", "No payout yet")

    def refresh(self) -> None:
        """Read the summary off the GUI thread."""
        self._context.work.query("overview-payouts", load_summary, self.show_summary, owner=self)

    def show_summary(self, summary: PayoutsSummary) -> None:
        """Show the last payout and the unexplained total."""
        last = summary.last_paid
        value = money_text(last.paid, last.currency) if last else "—"
        note = "No payout yet"
        if last is not None and summary.last_paid_on is not None:
            bank = "in the bank" if last.deposit is not None else "not in the bank yet"
            note = f"Paid {summary.last_paid_on.isoformat()}, {bank}"
        unexplained = [money_text(v, c) for c, v in summary.unexplained.items() if v]
        if unexplained:
            note += f" · <span style='color:{DANGER}'>{', '.join(unexplained)} unexplained</span>"
        elif last is not None:
            note += f" · <span style='color:{SUCCESS}'>all explained</span>"
        self.set_content(value, note)
