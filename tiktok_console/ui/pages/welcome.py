"""First-run welcome, shown while no store is connected.

Its buttons say what the merchant wants as signals; ``app.py`` decides what
each does (open Accounts, start the demo process, show the Overview).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tiktok_console.core.resources import resource_path
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Page
from tiktok_console.ui.widgets import button, label

_POINTS = [
    (
        "Orders that never reach Shopify",
        "TikTok orders with an unmapped SKU are kept, shown, and created the moment you map it.",
    ),
    (
        "Overselling during livestreams",
        "Stock flows from Shopify to TikTok in seconds, with buffers for what is still in flight.",
    ),
    (
        '"This carrier is not supported"',
        "Map your carriers once; tracking reaches TikTok correctly, before the ship-by deadline.",
    ),
    (
        "Late shipments and their penalties",
        "The Overview lists the TikTok orders due today or overdue, with the time left on each.",
    ),
    (
        "Not knowing what happened",
        "Every order created, stock update and tracking number sent is in Activity, "
        "with the reason when one fails and a retry where it helps.",
    ),
]
# Only what the console does today: refunds and payouts join this list when they exist.


class WelcomePage(Page):
    """Explains what the console does and offers the ways to start.

    Signals:
        continue_requested: the merchant wants to look around first.
        connect_requested: the merchant wants to connect the stores.
        demo_requested: the merchant wants to try the demo (not offered in the demo).
    """

    page_id = "welcome"
    title = "Welcome"
    icon = "welcome.svg"
    in_sidebar = False

    continue_requested = Signal()
    connect_requested = Signal()
    demo_requested = Signal()

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__("TikTok Shop and Shopify, kept in step.", parent)
        hero = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(QIcon(str(resource_path("icon.svg"))).pixmap(88, 88))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        hero.addWidget(logo)
        text = QVBoxLayout()
        text.addWidget(label("Stop firefighting between your two stores", "HeroTitle", wrap=True))
        text.addWidget(
            label(
                "TikTok Console keeps orders, stock and tracking in step between your "
                "Shopify store and your TikTok Shop, and shows you what needs you.",
                "HeroText",
                wrap=True,
            )
        )
        hero.addLayout(text, 1)
        self.body.addLayout(hero)
        for title, detail in _POINTS:
            self.body.addWidget(_point(title, detail))
        self.body.addStretch(1)
        self.body.addLayout(self._buttons(context.demo))

    def _buttons(self, demo: bool) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.demo_button: QPushButton | None = None
        if not demo:  # the demo does not offer itself again
            self.demo_button = button("Try the demo", "Primary")
            self.demo_button.clicked.connect(self.demo_requested.emit)
            row.addWidget(self.demo_button)
        self.connect_button = button("Connect your stores", "Primary")
        self.connect_button.clicked.connect(self.connect_requested.emit)
        self.continue_button = button("Look around first", "Secondary")
        self.continue_button.clicked.connect(self.continue_requested.emit)
        row.addWidget(self.connect_button)
        row.addWidget(self.continue_button)
        return row


def _point(title: str, detail: str) -> QWidget:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(104, 4, 0, 4)
    layout.setSpacing(2)
    heading = QLabel(title)
    heading.setStyleSheet("font-weight: 600; font-size: 14px;")
    layout.addWidget(heading)
    layout.addWidget(label(detail, "Muted", wrap=True))
    return widget
