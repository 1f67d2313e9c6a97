"""What ``tiktok-console status --json`` reports: accounts, jobs and counts. Never a token."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from tiktok_console.domain.accounts import Account
from tiktok_console.domain.store_health import NO_NETWORK, describe, no_network
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.activity import activity_summary
from tiktok_console.storage.tables import JobStateRow


def status_report(now: datetime | None = None) -> dict[str, Any]:
    """The profile's state as plain JSON-able data."""
    now = now or datetime.now(UTC)
    midnight = datetime.combine(now.astimezone().date(), time()).astimezone()
    summary = activity_summary(midnight)
    accounts = load_accounts()
    return {
        "accounts": [_account(account, now) for account in accounts.values()],
        "no_network": no_network(a.health for a in accounts.values()) and len(accounts) > 1,
        "jobs": [_job(row) for row in JobStateRow.select().order_by(JobStateRow.name)],
        "counts": {"actions_today": summary.actions, "errors_today": summary.errors},
    }


def status_text(report: dict[str, Any]) -> list[str]:
    """The report in words, for plain ``status``: stores, jobs, then today's counts."""
    lines = ["Stores:"]
    if report["no_network"]:
        lines.append(f"  {NO_NETWORK}")
    for account in report["accounts"]:
        lines.append(f"  {account['shop_name']} ({account['shop']}, {account['region']}): "
                     f"{account['health_detail']}.")  # fmt: skip
    if not report["accounts"]:
        lines.append("  No store connected. Run `tiktok-console connect` or open the app.")
    lines.append("Jobs:")
    for job in report["jobs"]:
        lines.append(f"  {job['name']}: {_job_words(job)}")
    if not report["jobs"]:
        lines.append("  No job has run yet: run `tiktok-console sync`, or open the app.")
    counts = report["counts"]
    lines.append(f"Today: {_count(counts['actions_today'], 'action')} logged, "
                 f"{_count(counts['errors_today'], 'error')}.")  # fmt: skip
    return lines


def _job_words(job: dict[str, Any]) -> str:
    words = "paused" if job["paused"] else ""
    if job["last_error"]:
        words = (words + ", " if words else "") + f"last run failed: {job['last_error']}"
    elif job["last_success_at"]:
        when = datetime.fromisoformat(job["last_success_at"]).astimezone()
        words = (words + ", " if words else "") + f"last ran well at {when:%d %b %H:%M}"
    return words or "has not run yet"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _account(account: Account, now: datetime) -> dict[str, Any]:
    return {
        "health": account.health.state.value,
        "health_detail": describe(account.title, account.health, now),
        "health_since": _iso(account.health.since),
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
