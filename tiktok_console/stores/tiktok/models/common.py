"""Building blocks every TikTok Shop model shares: base classes, times, money, ids.

TikTok sends money as strings next to a ``currency`` field, times as Unix
seconds (a few fields in milliseconds), ids as strings (a few webhook ids as
numbers) and adds fields over time. These types turn all of that into exact,
aware Python values at the edge, and ignore what we do not know yet.
"""

from __future__ import annotations

import types
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    model_validator,
)
from pydantic.fields import FieldInfo

from tiktok_console.domain.money import Money

# A seconds value above this is far past year 5000: it can only be milliseconds.
_MILLIS_THRESHOLD = 100_000_000_000


class TikTokModel(BaseModel):
    """A wire object: unknown fields are ignored, so a new TikTok field never breaks us."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class LooseModel(BaseModel):
    """A deliberately small model for areas the app does not use: keeps every field."""

    model_config = ConfigDict(extra="allow", frozen=True)


# -- times ------------------------------------------------------------------
def _seconds(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("a boolean is not a time")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise ValueError(f"not a Unix time: {value!r}")
    return number // 1000 if number >= _MILLIS_THRESHOLD else number


def to_datetime(value: Any) -> datetime:
    """Unix seconds (or milliseconds, or a string of digits) as an aware UTC datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no time zone")
        return value.astimezone(UTC)
    return datetime.fromtimestamp(_seconds(value), UTC)


def _optional_datetime(value: Any) -> datetime | None:
    # TikTok sends 0 or "" for a time that has not happened (rts_time of an unshipped order).
    if value is None or value == 0 or (isinstance(value, str) and not value.strip()):
        return None
    return to_datetime(value)


def _epoch(value: datetime) -> int:
    return int(value.timestamp())


UnixTime = Annotated[datetime, BeforeValidator(to_datetime), PlainSerializer(_epoch)]
"""A time on the wire (seconds, milliseconds or digits) as an aware UTC datetime."""

OptionalTime = Annotated[
    datetime | None,
    BeforeValidator(_optional_datetime),
    PlainSerializer(lambda v: 0 if v is None else _epoch(v)),
]
"""A time that may not have happened yet: TikTok's 0 or "" become None."""


# -- ids --------------------------------------------------------------------
def _id_text(value: Any) -> Any:
    # Some webhook samples carry ids as JSON numbers; ids are opaque strings to us.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


IdStr = Annotated[str, BeforeValidator(_id_text)]
"""An id: a string, accepted also as a JSON number."""


# -- money ------------------------------------------------------------------
def to_decimal(value: Any) -> Decimal:
    """An amount string ("12.99", "" as zero) as an exact Decimal; never via float."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, float):
        # Assumption: TikTok always sends strings; a JSON number is read by its
        # shortest repr, which is the digits that were on the wire.
        value = repr(value)
    text = str(value).strip() or "0"
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {value!r}") from error
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return amount


WireDecimal = Annotated[Decimal, BeforeValidator(to_decimal), PlainSerializer(str)]
"""A number TikTok sends as a string (a rate, a weight): exact, never float."""


def _require_money(value: Any) -> Money:
    if isinstance(value, Money):
        return value
    raise ValueError("an amount needs its currency (the object's currency field)")


class _AmountMark:
    """Marks ``Amount`` fields so ``Priced`` knows which strings to turn into Money."""


_AMOUNT = _AmountMark()
Amount = Annotated[Money, _AMOUNT, PlainValidator(_require_money), PlainSerializer(Money.to_wire)]
"""An amount string of a ``Priced`` object, made ``Money`` with the object's currency."""


def _money_object(value: Any) -> Money:
    if isinstance(value, dict):
        amount = value.get("amount", value.get("value", ""))
        return Money.parse(to_decimal(amount), str(value.get("currency", "")))
    return _require_money(value)


MoneyObject = Annotated[
    Money,
    PlainValidator(_money_object),
    PlainSerializer(lambda m: {"amount": m.to_wire(), "currency": m.currency}),
]
"""An ``{amount|value, currency}`` object as ``Money``."""


def _is_amount(field: FieldInfo) -> bool:
    if any(m is _AMOUNT for m in field.metadata):
        return True
    if get_origin(field.annotation) in (Union, types.UnionType):
        return any(
            get_origin(arg) is Annotated and _AMOUNT in get_args(arg)[1:]
            for arg in get_args(field.annotation)
        )
    return False


def _priced_child(annotation: Any) -> bool:
    candidates = [annotation, *get_args(annotation)]
    return any(isinstance(c, type) and issubclass(c, Priced) for c in candidates)


class Priced(TikTokModel):
    """A wire object whose amount strings are in its own ``currency`` field.

    Fields typed ``Amount`` become ``Money`` in that currency. Nested priced
    objects that carry no currency of their own (finance breakdowns) inherit it.
    """

    currency: str = ""
    _money_fields: ClassVar[frozenset[str]] = frozenset()
    _child_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        fields = cls.model_fields.items()
        cls._money_fields = frozenset(n for n, f in fields if _is_amount(f))
        cls._child_fields = frozenset(n for n, f in fields if _priced_child(f.annotation))

    @model_validator(mode="before")
    @classmethod
    def _attach_currency(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        currency = str(data.get("currency") or "")
        out = dict(data)
        for name in cls._money_fields & out.keys():
            value = out[name]
            if value is not None and not isinstance(value, Money):
                out[name] = Money.parse(to_decimal(value), currency)
        for name in cls._child_fields & out.keys():
            out[name] = _inherit(out[name], currency)
        return out


def _inherit(value: Any, currency: str) -> Any:
    if isinstance(value, dict) and not value.get("currency") and currency:
        return {**value, "currency": currency}
    if isinstance(value, list):
        return [_inherit(v, currency) for v in value]
    return value


# -- shared shapes ------------------------------------------------------------
class BatchErrorDetail(TikTokModel):
    """What a per-item error of a batch write is about."""

    product_id: IdStr = ""
    sku_id: IdStr = ""
    package_id: IdStr = ""
    extra_errors: list[dict[str, Any]] = Field(default_factory=list)


class BatchError(TikTokModel):
    """One item that failed in a batch write answered with ``code: 0``."""

    code: int = 0
    message: str = ""
    detail: BatchErrorDetail = Field(default_factory=BatchErrorDetail)


class BatchResult(TikTokModel):
    """The ``data`` of a batch write: empty on full success, else ``errors``."""

    errors: list[BatchError] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every item was applied."""
        return not self.errors


class Empty(TikTokModel):
    """A ``data`` that carries nothing (``{}`` or ``null``)."""


class Image(TikTokModel):
    """An uploaded image as TikTok refers to it."""

    uri: str = ""
    urls: list[str] = Field(default_factory=list)
    thumb_urls: list[str] = Field(default_factory=list)
    url: str = ""
    height: int = 0
    width: int = 0


class Address(TikTokModel):
    """A (masked) postal address as orders and packages send it."""

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    phone_number: str = ""
    full_address: str = ""
    address_line1: str = ""
    address_line2: str = ""
    address_line3: str = ""
    address_line4: str = ""
    address_detail: str = ""
    postal_code: str = ""
    region_code: str = ""
