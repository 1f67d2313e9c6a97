"""Column types the app needs and peewee lacks: aware UTC times, exact money."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import peewee


class UtcDateTimeField(peewee.Field):
    """An aware datetime stored as ISO 8601 text in UTC; naive values are refused."""

    field_type = "TEXT"

    def db_value(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a timezone")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def python_value(self, value: Any) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(str(value)).astimezone(UTC)


class DecimalTextField(peewee.Field):
    """A ``Decimal`` stored as exact text (SQLite has no decimal type; floats lose cents)."""

    field_type = "TEXT"

    def db_value(self, value: Decimal | None) -> str | None:
        return None if value is None else str(Decimal(value))

    def python_value(self, value: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value))
