"""Cell texts the views share: money, local times, time left, plurals.

Shown text only: sorting and CSV use the typed values (``Decimal``,
``datetime``), never these strings.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}


def money_text(amount: Decimal, currency: str) -> str:
    """``$1,234.50`` for currencies with a well-known symbol, else ``1,234.50 IDR``."""
    symbol = _SYMBOLS.get(currency)
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,.2f}"
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}".rstrip()


def local_time(moment: datetime | None, seconds: bool = False) -> str:
    """A time in the computer's zone: ``02 Mar 14:05``, with the year when not this one."""
    if moment is None:
        return "—"
    local = moment.astimezone()
    day = "%d %b" if local.year == datetime.now().astimezone().year else "%d %b %Y"
    return local.strftime(f"{day} %H:%M:%S" if seconds else f"{day} %H:%M")


def iso_local(moment: datetime | None) -> str:
    """A time as ISO 8601 in the computer's zone, for CSV ("" for none)."""
    return "" if moment is None else moment.astimezone().isoformat(timespec="seconds")


def time_left(deadline: datetime | None, now: datetime) -> str:
    """ "5 h left", "3 days left", "Overdue by 2 h"; "" for no deadline."""
    if deadline is None:
        return ""
    hours = int((deadline - now).total_seconds() // 3600)
    if hours < 0:
        return f"Overdue by {-hours} h" if hours > -48 else f"Overdue by {-hours // 24} days"
    if hours == 0:
        return "Less than 1 h left"
    return f"{hours} h left" if hours < 48 else f"{hours // 24} days left"


def plural(count: int, one: str, many: str) -> str:
    """ "1 order", "3 orders"."""
    return f"{count} {one if count == 1 else many}"
