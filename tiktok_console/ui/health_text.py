"""A store's health in the window's words and colours, the same on every page.

The store cards (Overview, Accounts), the status bar, Sync and Needs attention
all say a store's health through these functions, so they never disagree.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime

from tiktok_console.domain.accounts import STORE_TITLES, Account, StoreKind
from tiktok_console.domain.store_health import (
    NO_NETWORK,
    HealthState,
    StoreHealth,
    describe,
    no_network,
)
from tiktok_console.ui.theme import DANGER, SUCCESS, WARNING

_COLORS = {
    HealthState.OK: SUCCESS,
    HealthState.RATE_LIMITED: SUCCESS,  # normal: the console paces itself and goes on
    HealthState.UNREACHABLE: DANGER,
    HealthState.FAILING: DANGER,
    HealthState.RECONNECT: WARNING,
}

SHORT = {
    HealthState.OK: "connected",
    HealthState.RATE_LIMITED: "connected, pacing (normal)",
    HealthState.UNREACHABLE: "cannot be reached",
    HealthState.FAILING: "answering with errors",
    HealthState.RECONNECT: "reconnect needed",
}


def health_color(health: StoreHealth) -> str:
    """The dot's colour for ``health``."""
    return _COLORS[health.state]


def dot(health: StoreHealth) -> str:
    """A coloured dot (rich text)."""
    return f'<span style="color:{health_color(health)}">●</span>'


def sentence(store: StoreKind, health: StoreHealth, now: datetime) -> str:
    """The full sentence: "Shopify cannot be reached since 14:02: connection refused"."""
    return describe(STORE_TITLES[store], health, now)


def problems(accounts: Mapping[StoreKind, Account], now: datetime) -> list[str]:
    """What is wrong with the stores, as sentences ("" store problems: an empty list).

    Both stores unreachable is said once, as what it most likely is: no network.
    """
    healths = {store: account.health for store, account in accounts.items()}
    if len(healths) > 1 and no_network(healths.values()):
        return [NO_NETWORK]
    return [sentence(store, h, now) for store, h in healths.items() if h.is_problem]


def health_html(store: StoreKind, health: StoreHealth, now: datetime) -> str:
    """The sentence, coloured when it is a problem (rich text)."""
    text = html.escape(sentence(store, health, now))
    if not health.is_problem:
        return text
    return f'<span style="color:{health_color(health)}">{text}</span>'
