"""Settlement lines as stored: one row per settlement and source, merged on read.

The API's lines and each import's are written under the domain's
``dedupe_key``, unique per source: importing a file twice rewrites the same
rows, and the API's copy of a settlement sits beside the export's. Reading
merges them (``merge_lines``): a settlement both sources hold with the same
money counts once as ``both``; with different money the API's counts and the
export's is kept as a conflict to show.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import (
    Check,
    LineFlag,
    LineKind,
    SettlementLine,
    dedupe_key,
)
from tiktok_console.domain.settlement_merge import Conflict, merge_lines
from tiktok_console.storage.database import db

API, IMPORT, BOTH = "api", "import", "both"
_COLUMNS = (
    "kind, type_label, order_id, adjustment_id, sku_id, currency, settlement, parts, amounts, "
    "statement_id, payment_id, seller_sku, order_line_id, quantity, order_created, "
    "settled_time, lost_ids, flags, source, id"
)
_INSERT = f"""INSERT INTO payout_line_row
    (dedupe_key, origin, payload, stored_at, {_COLUMNS.replace(", id", "")})
    VALUES ({", ".join("?" * 23)})
    ON CONFLICT (dedupe_key, source) DO UPDATE SET
        origin = excluded.origin, payload = excluded.payload, stored_at = excluded.stored_at,
        type_label = excluded.type_label, settlement = excluded.settlement,
        parts = excluded.parts, amounts = excluded.amounts, statement_id = excluded.statement_id,
        payment_id = excluded.payment_id, seller_sku = excluded.seller_sku,
        quantity = excluded.quantity, order_created = excluded.order_created,
        settled_time = excluded.settled_time, lost_ids = excluded.lost_ids,
        flags = excluded.flags, currency = excluded.currency"""  # noqa: S608 (the names are ours; values are bound)


@dataclass(frozen=True)
class StoredLines:
    """Every settlement once, and the copies that disagree with the one counted."""

    lines: tuple[SettlementLine, ...]
    conflicts: tuple[Conflict, ...]


def key_text(line: SettlementLine) -> str:
    """The dedupe key as stored."""
    return "|".join("" if part is None else str(part) for part in dedupe_key(line))


def store_lines(
    lines: Iterable[SettlementLine],
    source: str,
    origin: str = "",
    payloads: Sequence[str] | None = None,
) -> int:
    """Writes lines of one source (call inside the transaction that writes their cursor).

    Args:
        lines: the lines; each settlement once (the same key again overwrites).
        source: ``api`` or ``import``.
        origin: the file or statement they came from.
        payloads: the raw JSON of each line, in the same order ("" when none).
    """
    now = datetime.now(UTC).isoformat()
    rows = []
    for index, line in enumerate(lines):
        payload = payloads[index] if payloads is not None else ""
        rows.append(_row(line, source, origin, payload, now))
    cursor = db.cursor()
    cursor.executemany(_INSERT, rows)
    return len(rows)


def load_lines(statement_id: str | None = None) -> StoredLines:
    """Every settlement once (the API's first), with the disagreeing copies."""
    where, params = ("WHERE statement_id = ?", (statement_id,)) if statement_id else ("", ())
    sql = f"SELECT {_COLUMNS} FROM payout_line_row {where} ORDER BY source, id"  # noqa: S608 (the names are ours; values are bound)
    api: list[SettlementLine] = []
    imported: list[SettlementLine] = []
    decoded: dict[str, dict[Field, Decimal]] = {}
    for row in db.execute_sql(sql, params):
        line = _line(row, decoded)
        (api if line.source == API else imported).append(line)
    merged = merge_lines(api, imported)
    lines = merged.lines
    if merged.confirmed:
        confirmed = merged.confirmed
        lines = tuple(
            line._replace(source=BOTH) if dedupe_key(line) in confirmed else line for line in lines
        )
    return StoredLines(lines, merged.conflicts)


def line_count() -> int:
    """How many line rows are stored (every source)."""
    return int(db.execute_sql("SELECT COUNT(*) FROM payout_line_row").fetchone()[0])


def _row(line: SettlementLine, source: str, origin: str, payload: str, now: str) -> tuple[Any, ...]:
    flags = json.dumps(
        [[f.check.value, f.field.value, str(f.difference), f.text] for f in line.flags]
    )
    return (
        key_text(line), origin, payload, now,
        line.kind.value, line.type_label, line.order_id, line.adjustment_id, line.sku_id,
        line.currency, str(line.settlement), _money(line.parts), _money(line.amounts),
        line.statement_id, line.payment_id, line.seller_sku, line.order_line_id, line.quantity,
        _time(line.order_created), _time(line.settled_time),
        json.dumps({k.value: v for k, v in line.lost_ids.items()}) if line.lost_ids else None,
        flags if line.flags else "", source,
    )  # fmt: skip


def _money(values: Mapping[Field, Decimal]) -> str:
    return json.dumps({field.value: str(amount) for field, amount in values.items()})


def _time(when: datetime | None) -> str | None:
    return None if when is None else when.astimezone(UTC).isoformat()


def _line(row: Sequence[Any], decoded: dict[str, dict[Field, Decimal]]) -> SettlementLine:
    (kind, label, order_id, adjustment_id, sku_id, currency, settlement, parts, amounts,
     statement_id, payment_id, seller_sku, order_line_id, quantity, created, settled,
     lost, flags, source, row_id) = row  # fmt: skip
    return SettlementLine(
        LineKind(kind), label, order_id, adjustment_id, sku_id, currency, Decimal(settlement),
        _amounts(parts, decoded), _amounts(amounts, decoded), statement_id, payment_id,
        seller_sku, order_line_id, quantity,
        datetime.fromisoformat(created) if created else None,
        datetime.fromisoformat(settled) if settled else None,
        {Field(k): v for k, v in json.loads(lost).items()} if lost else None,
        tuple(LineFlag(Check(c), Field(f), Decimal(d), t) for c, f, d, t in json.loads(flags))
        if flags else (),
        source, row_id,
    )  # fmt: skip


def _amounts(text: str, decoded: dict[str, dict[Field, Decimal]]) -> dict[Field, Decimal]:
    # Lines with the same money share one dict: never changed in place (see SettlementLine).
    found = decoded.get(text)
    if found is None:
        found = decoded[text] = {Field(k): Decimal(v) for k, v in json.loads(text).items()}
    return found
