"""A settlement line: one order, refund, adjustment or reserve entry of a statement.

Lines come from the API's statement transactions or from a Seller Center
export; either way they end up as the same ``SettlementLine``, whose amounts
are exact and whose settlement is checked against the sum of its parts. An
id a spreadsheet turned into ``5.78E+18`` has lost its digits: the line is
kept, the loss reported, and the order is found later by its other ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from operator import itemgetter
from typing import NamedTuple

from tiktok_console.domain.money import Money
from tiktok_console.domain.money_text import parse_amount
from tiktok_console.domain.settlement_fields import ALL_FIELDS, Field, Kind, Layout, Plan, kind_of

ZERO = Decimal(0)
_SETTLEMENT = Field.SETTLEMENT
# Integers above 2**53 do not survive a float: a spreadsheet that read the id as
# a number kept 15 digits of it.
_FLOAT_EXACT = 2**53
_SCIENTIFIC = re.compile(r"^[-+]?\d+(?:[.,]\d+)?[eE][-+]?\d+$")


class LineKind(StrEnum):
    """What a line is, from its Type column (or the API's ``type``)."""

    ORDER = "order"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"
    RESERVE = "reserve"


class Check(StrEnum):
    """Something wrong with a line's own numbers."""

    SUM = "settlement_is_not_the_sum_of_its_parts"
    TOTAL = "total_is_not_the_sum_of_its_parts"
    LOST_DIGITS = "id_lost_its_digits"


@dataclass(frozen=True, slots=True)
class LineFlag:
    """One failed check: which total, and by how much it is off (stated - sum)."""

    check: Check
    field: Field
    difference: Decimal = ZERO
    text: str = ""


class SettlementLine(NamedTuple):
    """One statement line, amounts exact (signed as TikTok signs them).

    Immutable like a frozen dataclass, but a named tuple: an import builds
    100,000 of them, and a tuple is built several times faster. Change one
    with ``line._replace(...)``; never change its dicts in place: lines read
    from rows with the same money share them.

    Attributes:
        parts: the amounts that add up to the settlement, each counted once:
            a total's parts when the line has them, else the total itself.
        amounts: every amount the line gave, totals and information included.
        lost_ids: ids whose digits a spreadsheet lost, as the cell showed them.
        flags: failed checks; an empty tuple means the line adds up.
    """

    kind: LineKind
    type_label: str
    order_id: str
    adjustment_id: str
    sku_id: str
    currency: str
    settlement: Decimal
    parts: Mapping[Field, Decimal]
    amounts: Mapping[Field, Decimal]
    statement_id: str = ""
    payment_id: str = ""
    seller_sku: str = ""
    order_line_id: str = ""
    quantity: int | None = None
    order_created: datetime | None = None
    settled_time: datetime | None = None
    lost_ids: Mapping[Field, str] | None = None
    flags: tuple[LineFlag, ...] = ()
    source: str = "import"
    row: int = 0

    def part(self, field: Field) -> Decimal:
        """One amount of the line (zero when the line has none)."""
        return self.parts.get(field, self.amounts.get(field, ZERO))

    def money(self, field: Field) -> Money:
        """One amount as ``Money``."""
        return Money(
            self.settlement if field is Field.SETTLEMENT else self.part(field), self.currency
        )

    @property
    def adds_up(self) -> bool:
        """True when the settlement equals the sum of its parts."""
        return not any(f.check is Check.SUM for f in self.flags)


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell that could not be read; the line is kept without it."""

    row: int
    column: int
    field: Field
    value: object
    message: str


def line_kind(type_label: str, has_order: bool, default: LineKind | None = None) -> LineKind:
    """The kind a Type cell names ("Order", "Refund", "Chargeback", "Reserve hold"...).

    A blank Type is ``default`` (the kind of the sheet it is on), else an
    order when the line has an order id.
    """
    label = type_label.strip().lower()
    if not label:
        if default is not None:
            return default
        return LineKind.ORDER if has_order else LineKind.ADJUSTMENT
    if label in {"order", "orders", "sale"}:
        return LineKind.ORDER
    if "refund" in label:
        return LineKind.REFUND
    if "reserve" in label:
        return LineKind.RESERVE
    return LineKind.ADJUSTMENT


def read_id(value: object) -> tuple[str, bool]:
    """An id cell as text, and whether its digits were lost to a float."""
    if isinstance(value, bool) or value is None:
        return "", False
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _FLOAT_EXACT:
            return str(int(value)), False
        return format(value, ".15G"), True
    text = str(value).strip().lstrip("'")  # Excel's "keep as text" apostrophe
    if _SCIENTIFIC.match(text):
        return text.upper(), True
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2], False
    return text, False


def read_time(value: object) -> datetime:
    """A time cell as UTC: a datetime, Unix seconds, or ISO-like text (UTC assumed)."""
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, date):
        when = datetime(value.year, value.month, value.day)
    elif isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip().replace("/", "-"))
        except ValueError as error:
            raise ValueError(f"not a time: {value!r}") from error
    else:
        raise ValueError(f"not a time: {value!r}")
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def resolve_parts(
    amounts: Mapping[Field, Decimal], layout: Layout, plan: Plan | None = None
) -> tuple[dict[Field, Decimal], Decimal, list[LineFlag]]:
    """The parts that make up the settlement, their sum, and the totals that disagree.

    A total is replaced by its parts when the line has any of them (so "Total
    fees" never adds to the fees it sums); a total without parts stands for
    itself. ``plan`` is ``layout.plan(...)`` made once for a sheet's columns.
    """
    parts: dict[Field, Decimal] = {}
    flags: list[LineFlag] = []
    totals: dict[Field, Decimal | None] = {}
    get = amounts.get
    for total, children in plan if plan is not None else layout.plan(ALL_FIELDS):
        subtotal: Decimal | None = None
        for child, is_total in children:
            value = totals[child] if is_total else get(child)
            if value is not None:
                subtotal = value if subtotal is None else subtotal + value
                if not is_total:
                    parts[child] = value
        stated = get(total)
        if subtotal is None:
            if stated is not None and total is not _SETTLEMENT:
                parts[total] = stated
            totals[total] = stated
            continue
        if stated is not None and stated != subtotal and total is not _SETTLEMENT:
            flags.append(LineFlag(Check.TOTAL, total, stated - subtotal))
        totals[total] = subtotal
    return parts, totals.get(_SETTLEMENT) or ZERO, flags


DedupeKey = tuple[object, ...]


def dedupe_key(line: SettlementLine) -> DedupeKey:
    """What makes two lines the same settlement, whether from the API or an export.

    The API's transaction ids are not in exports, so the key is the kind, the
    order (or adjustment) id, the SKU and line ids, and the UTC day it settled.
    """
    kind = line.kind
    primary = line.adjustment_id if kind is LineKind.ADJUSTMENT else line.order_id
    if not primary and line.lost_ids:
        primary = "~" + "|".join(sorted(line.lost_ids.values()))
    day = line.settled_time.date() if line.settled_time is not None else None
    return (kind, primary, line.sku_id, line.order_line_id, day)


def same_money(a: SettlementLine, b: SettlementLine) -> bool:
    """Two lines for one settlement that agree on every amount."""
    return a.settlement == b.settlement and a.currency == b.currency and a.parts == b.parts


def cells_by_kind(
    columns: Mapping[int, Field],
) -> dict[Kind, list[tuple[int, Field]]]:
    """A sheet's known columns grouped by how their cells are read."""
    grouped: dict[Kind, list[tuple[int, Field]]] = {kind: [] for kind in Kind}
    for index, field in sorted(columns.items()):
        grouped[kind_of(field)].append((index, field))
    return grouped


def read_count(value: object) -> int:
    """A count cell (Quantity) as a whole number.

    Raises:
        ValueError: not a number, or not a whole one.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    count = parse_amount(value).amount
    if count != count.to_integral_value():
        raise ValueError("not a whole number")
    return int(count)


def cells_getter(indexes: list[int]) -> Callable[[Sequence[object]], tuple[object, ...]]:
    """Reads the cells at ``indexes`` of a row as a tuple, in C (``itemgetter``)."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    if indexes:
        only = indexes[0]
        return lambda row: (row[only],)
    return lambda row: ()
