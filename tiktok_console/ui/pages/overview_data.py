"""What the Overview page shows, gathered from the local database and the engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from tiktok_console.domain.accounts import STORE_KINDS, STORE_TITLES, StoreKind
from tiktok_console.domain.store_health import NO_NETWORK, StoreHealth, headline
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.activity import activity_summary

if TYPE_CHECKING:  # Qt is imported lazily so headless commands never load it
    from tiktok_console.stores.tokens import TokenStore
    from tiktok_console.ui.job_controls import JobView
    from tiktok_console.ui.pages.overview import AttentionItem, OverviewData


def load_overview(
    jobs: Sequence[str] | None, token_store: TokenStore | None = None
) -> OverviewData:
    """What the Overview shows, read from the local database.

    Args:
        jobs: the running engine's job names, or None when sync is not running.
        token_store: where the stores' sign-in ends are read (for "Due in 24 h").
    """
    from tiktok_console.storage.fulfillment.views import stuck_shipments
    from tiktok_console.storage.inventory.views import oversell_risks
    from tiktok_console.storage.orders.deadlines import ship_deadlines
    from tiktok_console.storage.orders.views import today_counts
    from tiktok_console.ui.health_text import problems, sentence
    from tiktok_console.ui.pages.overview import OverviewData, StoreStatus

    midnight = datetime.combine(datetime.now().astimezone().date(), time()).astimezone()
    summary = activity_summary(midnight)
    counts = today_counts()
    deadlines = ship_deadlines()
    # The list, not the count query, decides: it also sees partially shipped orders.
    counts["to_ship_today"] = len(deadlines)
    counts["stuck_shipments"] = len(stuck_shipments())
    counts["oversell_risks"] = oversell_risks()
    accounts = load_accounts()

    now = datetime.now(UTC)

    def status(store: Any) -> StoreStatus:
        account = accounts.get(store)
        if account is None:
            return StoreStatus(connected=False)
        text = sentence(store, account.health, now) if account.health.is_problem else ""
        return StoreStatus(True, account.shop_name, f"{account.shop} · {account.region}",
                           account.health, text)  # fmt: skip

    store_problems = problems(accounts, now)
    return OverviewData(
        shopify=status("shopify"),
        tiktok=status("tiktok"),
        sync_state=_sync_state(jobs is not None, len(accounts) == 2, store_problems),
        store_problems=store_problems,
        actions_today=summary.actions,
        errors_today=summary.errors,
        last_activity=summary.last_at,
        orders_synced=counts["synced_today"],
        orphans=counts["orphans"],
        failed=counts["failed"],
        to_ship_today=counts["to_ship_today"],
        attention=_store_attention(store_problems) + _attention(counts),
        jobs=_jobs(jobs or (), {store: a.health for store, a in accounts.items()}),
        deadlines=deadlines,
        **_due(token_store),
    )


def _sync_state(running: bool, both: bool, store_problems: list[str]) -> str:
    if not both:
        return "Idle"
    if store_problems and store_problems[0] == NO_NETWORK:
        return "Waiting: no network" if running else "Stopped: no network"
    if store_problems:
        return "Waiting for a store" if running else "Stopped"
    return "Running" if running else "Ready"


def _store_attention(store_problems: list[str]) -> list[AttentionItem]:
    """A store that cannot be reached, fails or needs a reconnect comes first."""
    from tiktok_console.ui.pages.overview import AttentionItem

    return [AttentionItem(text, "accounts") for text in store_problems]


def _due(token_store: TokenStore | None) -> dict[str, int]:
    """How many open deadlines are due within a day, and how many passed."""
    from tiktok_console.sync.deadlines import deadline_queue

    now = datetime.now(UTC)
    lefts = [item.remaining(now) for item in deadline_queue(token_store)]
    day = timedelta(hours=24)
    return {
        "due_in_a_day": sum(timedelta(0) < left <= day for left in lefts),
        "overdue": sum(left <= timedelta(0) for left in lefts),
    }


def _jobs(names: Sequence[str], healths: Mapping[StoreKind, StoreHealth]) -> list[JobView]:
    from tiktok_console.storage.jobs import job_states
    from tiktok_console.sync.runtime import JOB_STORES
    from tiktok_console.ui.job_controls import JobView

    def waiting(name: str) -> str:
        for store in sorted(JOB_STORES.get(name, frozenset(STORE_KINDS))):
            health = healths.get(store)
            if health is not None and health.is_problem:
                return headline(STORE_TITLES[store], health)
        return ""

    states = job_states()
    now = datetime.now(UTC)
    views = []
    for name in names:
        state = states.get(name)
        views.append(
            JobView(
                name,
                paused=bool(state and state.paused),
                last_success_at=state.last_success_at if state else None,
                last_error=state.last_error if state else "",
                running=state is not None and _running(state, now),
                waiting=waiting(name),
            )
        )
    return views


RUN_SEEN_S = 120  # a run that wrote nothing for this long is no longer shown as running


def _running(state: Any, now: datetime) -> bool:
    """A job is running when it wrote (its cursor) after its last success, lately, with no
    error since: a page of a run that has not ended."""
    written, succeeded = state.updated_at, state.last_success_at
    if state.paused or state.last_error or written is None:
        return False
    recent = (now - written).total_seconds() < RUN_SEEN_S
    return recent and (succeeded is None or written > succeeded)


# What the merchant should look at today, most urgent first:
# (count, one, many, the page that shows them, the filter it opens with).
_ATTENTION = (
    (
        "to_ship_today",
        "TikTok order must ship today or is overdue.",
        "TikTok orders must ship today or are overdue.",
        "orders", "Waiting",
    ),
    (
        "stuck_shipments",
        "shipment could not send tracking to TikTok: see Carriers.",
        "shipments could not send tracking to TikTok: see Carriers.",
        "carriers", "",
    ),
    (
        "oversell_risks",
        "SKU shows more on TikTok than Shopify allows: see Inventory.",
        "SKUs show more on TikTok than Shopify allows: see Inventory.",
        "inventory", "Drift",
    ),
    (
        "orphans",
        "order waits for a SKU mapping: see Orphan orders.",
        "orders wait for a SKU mapping: see Orphan orders.",
        "orphans", "",
    ),
    (
        "failed",
        "order was refused by Shopify: see Orders.",
        "orders were refused by Shopify: see Orders.",
        "orders", "Failed",
    ),
)  # fmt: skip


def _attention(counts: dict[str, int]) -> list[AttentionItem]:
    """What the merchant should look at today, most urgent first, with where to look."""
    from tiktok_console.ui.cell_text import plural
    from tiktok_console.ui.pages.overview import AttentionItem

    return [
        AttentionItem(plural(counts[key], one, many), page_id, filter_name)
        for key, one, many, page_id, filter_name in _ATTENTION
        if counts[key]
    ]
