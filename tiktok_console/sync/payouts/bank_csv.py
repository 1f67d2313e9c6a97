"""The bank's CSV: which columns are the date, amount and reference, and its deposits.

Banks word and order their columns differently, so the merchant maps them
once per bank (a dialog; the mapping is remembered) and later imports of the
same bank reuse it. Only credits are deposits; the same line imported again
is the same deposit.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tiktok_console.domain.money_text import MoneyTextError, parse_amount
from tiktok_console.domain.reconciliation_inputs import BankDeposit
from tiktok_console.storage.database import db
from tiktok_console.storage.payouts import bank

ROLES = ("date", "amount", "reference", "currency")
REQUIRED = ("date", "amount")
_GUESSES = {
    "date": ("date", "booking date", "posted date", "transaction date", "value date", "booked"),
    "amount": ("amount", "credit", "credit amount", "deposit", "paid in", "money in"),
    "reference": ("reference", "description", "memo", "details", "narrative", "payee"),
    "currency": ("currency", "ccy"),
}
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")


class BankCsvError(Exception):
    """The file or its mapping cannot be used; the message says why."""


@dataclass(frozen=True)
class BankPreview:
    """A CSV's headers and first rows, for the mapping dialog."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    guess: dict[str, str]


@dataclass(frozen=True)
class BankImport:
    """What an import of the bank's CSV did."""

    deposits: int
    added: int
    skipped_debits: int
    problems: tuple[str, ...]


def preview(path: Path, rows: int = 5) -> BankPreview:
    """Headers, a few rows and a guessed mapping."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            headers = tuple(h.strip() for h in next(reader))
        except StopIteration as error:
            raise BankCsvError(f"{path.name} is empty") from error
        sample = tuple(tuple(r) for _, r in zip(range(rows), reader, strict=False))
    return BankPreview(headers, sample, guess_mapping(headers))


def guess_mapping(headers: tuple[str, ...]) -> dict[str, str]:
    """Each role's column when its header says so plainly."""
    found: dict[str, str] = {}
    lowered = {h.lower().strip(): h for h in headers}
    for role, names in _GUESSES.items():
        for name in names:
            if name in lowered:
                found[role] = lowered[name]
                break
    return found


def import_bank_csv(
    path: Path, bank_name: str, mapping: Mapping[str, str], currency: str
) -> BankImport:
    """Reads the deposits with ``mapping`` (remembered for ``bank_name``) and stores them.

    Raises:
        BankCsvError: a required column is not mapped or not in the file.
    """
    missing = [r for r in REQUIRED if not mapping.get(r)]
    if missing:
        raise BankCsvError(f"Choose the {' and '.join(missing)} column first.")
    deposits: list[tuple[BankDeposit, str]] = []
    problems: list[str] = []
    seen: Counter[str] = Counter()
    debits = 0
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        reader.fieldnames = [f.strip() for f in reader.fieldnames or []]
        absent = [
            mapping[r] for r in ROLES if mapping.get(r) and mapping[r] not in reader.fieldnames
        ]
        if absent:
            raise BankCsvError(f"{path.name} has no column {', '.join(absent)}.")
        for number, row in enumerate(reader, start=2):
            try:
                deposit = _deposit(row, mapping, currency, bank_name, seen)
            except ValueError as error:
                problems.append(f"line {number}: {error}")
                continue
            if deposit is None:
                debits += 1
                continue
            deposits.append((deposit, json.dumps(row)))
    with db.atomic():
        bank.save_mapping(bank_name, dict(mapping))
        added = bank.store_deposits(bank_name, deposits)
    return BankImport(len(deposits), added, debits, tuple(problems))


def _deposit(
    row: Mapping[str, str], mapping: Mapping[str, str], currency: str, bank_name: str,
    seen: Counter[str],
) -> BankDeposit | None:  # fmt: skip
    ccy = (row.get(mapping.get("currency", ""), "") or currency).strip().upper() or currency
    try:
        amount = parse_amount(row.get(mapping["amount"], ""), ccy).amount
    except MoneyTextError as error:
        raise ValueError(f"amount {row.get(mapping['amount'])!r} is not money") from error
    if amount <= 0:
        return None
    booked = _date(row.get(mapping["date"], ""))
    reference = (row.get(mapping.get("reference", ""), "") or "").strip()
    draft = BankDeposit("", booked, amount, ccy, reference)
    key = f"{booked}|{amount}|{ccy}|{reference}"
    seen[key] += 1
    return BankDeposit(bank.deposit_id(bank_name, draft, seen[key]), booked, amount, ccy, reference)


def _date(text: str) -> date:
    value = text.strip()
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(value[:10], layout).date()
        except ValueError:
            continue
    raise ValueError(f"date {text!r} is not a date")
