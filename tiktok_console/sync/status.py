"""What ``tiktok-console status --json`` reports: accounts, jobs and counts. Never a token."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from tiktok_console.domain.accounts import Account
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.activity import activity_summary
from tiktok_console.storage.tables import JobStateRow


def status_report(now: datetime | None = None) -> dict[str, Any]:
    """The profile's state as plain JSON-able data."""
    now = now or datetime.now(UTC)
    midnight = datetime.combine(now.astimezone().date(), time()).astimezone()
    summary = activity_summary(midnight)
    return {
        "accounts": [_account(account) for account in load_accounts().values()],
        "jobs": [_job(row) for row in JobStateRow.select().order_by(JobStateRow.name)],
        "counts": {"actions_today": summary.actions, "errors_today": summary.errors},
    }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _account(account: Account) -> dict[str, Any]:
    return {
        "store": account.store,
        "shop": account.shop,
        "shop_name": account.shop_name,
        "region": account.region,
        "scopes": list(account.scopes),
        "token_expires_at": _iso(account.token_expires_at),
        "connected_at": _iso(account.connected_at),
        "last_success_at": _iso(account.last_success_at),
        "last_error": account.last_error,
        "demo": account.demo,
    }


def _job(row: JobStateRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "paused": bool(row.paused),
        "last_success_at": _iso(row.last_success_at),
        "last_error": row.last_error,
    }
