"""Every page of the main window, in sidebar order: the one list a new page joins.

Each page builds itself from the ``PageContext``; the window hosts them in
this order (pages that opt out of the sidebar, like the welcome, are still
reachable by id).
"""

from __future__ import annotations

from collections.abc import Callable

from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.accounts import AccountsPage
from tiktok_console.ui.pages.activity import ActivityPage
from tiktok_console.ui.pages.base import Page
from tiktok_console.ui.pages.carriers import CarriersPage
from tiktok_console.ui.pages.catalog import CatalogPage
from tiktok_console.ui.pages.deadlines import DeadlinesPage
from tiktok_console.ui.pages.inventory import InventoryPage
from tiktok_console.ui.pages.orders import OrdersPage
from tiktok_console.ui.pages.orphans import OrphansPage
from tiktok_console.ui.pages.overview import OverviewPage
from tiktok_console.ui.pages.payouts import PayoutsPage
from tiktok_console.ui.pages.settings import SettingsPage
from tiktok_console.ui.pages.welcome import WelcomePage

PageFactory = Callable[[PageContext], Page]

PAGES: tuple[PageFactory, ...] = (
    OverviewPage,
    OrdersPage,
    CatalogPage,
    OrphansPage,
    InventoryPage,
    DeadlinesPage,
    CarriersPage,
    PayoutsPage,
    ActivityPage,
    AccountsPage,
    SettingsPage,
    WelcomePage,
)


def build_pages(context: PageContext) -> list[Page]:
    """One of each page, built from ``context``."""
    return [page(context) for page in PAGES]
