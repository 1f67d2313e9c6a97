"""The demo's bank statement: read from the sandbox's bank and imported like a merchant's CSV.

Demo mode has no real bank; the sandbox books each TikTok payout in its
bank a day after it was paid, so the Payouts page shows payments matched to
deposits (and the newest one waiting). The file goes through the same import
and column mapping as any bank's CSV.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tiktok_console.sync.payouts.bank_csv import BankImport, import_bank_csv

BANK = "Demo bank"
MAPPING = {"date": "Booking date", "amount": "Credit", "reference": "Text", "currency": "Currency"}


async def import_demo_bank(http: httpx.AsyncClient, control_url: str, folder: Path) -> BankImport:
    """Download the sandbox bank's statement into ``folder`` and import it."""
    reply = await http.get(f"{control_url.rstrip('/')}/bank/statement.csv")
    reply.raise_for_status()
    path = folder / "demo-bank-statement.csv"
    path.write_text(reply.text, encoding="utf-8")
    return await asyncio.to_thread(import_bank_csv, path, BANK, MAPPING, "USD")
