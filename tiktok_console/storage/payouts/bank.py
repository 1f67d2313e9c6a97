"""The bank leg: deposits imported from the bank's CSV, and each bank's column mapping."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime

from tiktok_console.domain.reconciliation_inputs import BankDeposit
from tiktok_console.storage.payouts.tables import BankDepositRow, BankMappingRow


def deposit_id(bank: str, deposit: BankDeposit, occurrence: int) -> str:
    """A stable id: the same line imported again is the same deposit.

    ``occurrence`` tells apart identical lines of one file (two equal
    transfers on one day).
    """
    text = f"{bank}|{deposit.booked_on}|{deposit.amount}|{deposit.currency}|{deposit.reference}"
    return hashlib.sha256(f"{text}|{occurrence}".encode()).hexdigest()[:32]


def store_deposits(bank: str, deposits: Iterable[tuple[BankDeposit, str]]) -> int:
    """Adds deposits (ids from ``deposit_id``); returns how many were new."""
    now = datetime.now(UTC)
    added = 0
    for deposit, payload in deposits:
        if BankDepositRow.get_or_none(BankDepositRow.deposit_id == deposit.deposit_id):
            continue
        BankDepositRow.insert(
            deposit_id=deposit.deposit_id, bank=bank, booked_on=deposit.booked_on.isoformat(),
            amount=deposit.amount, currency=deposit.currency, reference=deposit.reference,
            payload=payload, imported_at=now,
        ).execute()  # fmt: skip
        added += 1
    return added


def deposits() -> list[BankDeposit]:
    """Every deposit, oldest first."""
    return [
        BankDeposit(
            r.deposit_id, date.fromisoformat(r.booked_on), r.amount, r.currency, r.reference
        )
        for r in BankDepositRow.select().order_by(
            BankDepositRow.booked_on, BankDepositRow.deposit_id
        )
    ]


def deposit_count() -> int:
    """How many deposits are stored."""
    return int(BankDepositRow.select().count())


def save_mapping(bank: str, columns: dict[str, str]) -> None:
    """Remembers which header is the date, amount, reference (and currency) for ``bank``."""
    now = datetime.now(UTC)
    text = json.dumps(columns, sort_keys=True)
    BankMappingRow.insert(bank=bank, columns=text, updated_at=now).on_conflict(
        conflict_target=[BankMappingRow.bank],
        update={BankMappingRow.columns: text, BankMappingRow.updated_at: now},
    ).execute()


def mapping_for(bank: str) -> dict[str, str] | None:
    """The columns remembered for ``bank``."""
    row = BankMappingRow.get_or_none(BankMappingRow.bank == bank)
    return None if row is None else dict(json.loads(row.columns))


def banks() -> list[str]:
    """Banks with a remembered mapping."""
    return [r.bank for r in BankMappingRow.select().order_by(BankMappingRow.bank)]
