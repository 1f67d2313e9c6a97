"""Desktop notifications for deadlines, and the tray icon that counts the urgent ones.

The window may be minimised or on another page: this object lives as long as
the window and checks the queue every few seconds and whenever what it shows
changed. Each check runs as long work (``sync.deadlines.check_alerts``): it
first records the notifications raised since the last check, then says which
to raise now (``domain.deadlines.notifications_due``: once per threshold per
item). So marks record what was actually shown; a check whose answer is
superseded loses nothing, because what was raised stays pending until a
check has written it, and ``_shown`` keeps a slow write from raising twice.

With a system tray, notifications are the tray's balloons and the icon shows
the count of urgent items (a badge, and the tooltip); its menu opens the
Deadlines page. Without one (offscreen tests, CI, some desktops) they fall
back to the window's message bar, and since a bar message stays until
dismissed, each check takes back the ones whose deadlines left the queue (an
order shipped, a request decided): what remains of a grouped message is
shown again for the deadlines still there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from tiktok_console.core.resources import resource_path
from tiktok_console.core.settings import DeadlineSettings
from tiktok_console.domain.deadlines import Notification
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.deadlines import AlertCheck, check_alerts
from tiktok_console.ui.cell_text import plural
from tiktok_console.ui.operations import LongWork
from tiktok_console.ui.theme import DANGER

if TYPE_CHECKING:
    from tiktok_console.ui.main_window import MainWindow
    from tiktok_console.ui.page_context import PageContext

CHECK_MS = 20_000  # the smallest threshold is minutes: a check this often is on time
TOPICS = frozenset({"accounts", "aftersales", "deadlines", "orders"})
ShowMessage = Callable[[str, str], object]  # text, detail (the message bar's show_message)
Withdraw = Callable[[str, str], object]  # text, detail (the message bar's withdraw)


class DeadlineAlerts(QObject):
    """Raises each deadline's notifications once, from the tray or the message bar.

    Signals:
        open_requested: the merchant asked to see the Deadlines page (tray menu or balloon).
        raised(object): the list of ``Notification`` just shown.
    """

    open_requested = Signal()
    raised = Signal(object)

    def __init__(
        self,
        work: LongWork,
        settings: DeadlineSettings,
        token_store: TokenStore | None,
        fallback: ShowMessage,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tray: bool | None = None,
        parent: QObject | None = None,
        withdraw: Withdraw | None = None,
    ) -> None:
        super().__init__(parent)
        self._work, self._settings, self._token_store = work, settings, token_store
        self._fallback, self._clock, self._withdraw = fallback, clock, withdraw
        # Messages on the bar (no tray) and the notifications each stands for.
        self._on_bar: list[tuple[tuple[str, str], list[Notification]]] = []
        self._pending: list[Notification] = []  # shown, marks not written yet
        self._shown: set[tuple[str, object]] = set()  # (key, threshold) raised this session
        self.urgent = 0
        use_tray = QSystemTrayIcon.isSystemTrayAvailable() if tray is None else tray
        self.tray = self._tray() if use_tray else None
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        """Check now and then every few seconds."""
        self._timer.start()
        self.check()

    def stop(self) -> None:
        """No more checks; the tray icon goes (the window is closing)."""
        self._timer.stop()
        if self.tray is not None:
            self.tray.hide()

    def on_changed(self, topics: frozenset[str]) -> None:
        """The bridge's ``changed``: check again when deadlines may have moved."""
        if topics & TOPICS:
            self.check()

    def check(self) -> None:
        """Ask a worker which notifications are due now (and record the ones raised)."""
        store, now = self._token_store, self._clock()
        thresholds, pending = self._settings.thresholds(), list(self._pending)
        self._work.query(
            "deadline-alerts", lambda: check_alerts(store, thresholds, now, pending),
            lambda result: self._apply(result, pending), owner=self,
            description="checking the deadlines",
        )  # fmt: skip

    # -- showing -----------------------------------------------------------------

    def _apply(self, result: AlertCheck, written: Sequence[Notification]) -> None:
        self._pending = [n for n in self._pending if n not in written]
        self._show_count(result.urgent)
        self._follow_queue(result.open_keys)
        fresh = [n for n in result.due if not self._seen(n)]
        if not fresh:
            return
        for notification in fresh:
            self._shown.update((notification.deadline.key, t) for t in notification.settles)
        self._pending += fresh
        if self._settings.notify:
            self._notify(fresh)
            self.raised.emit(fresh)
        QTimer.singleShot(0, self.check)  # write their marks now, not at the next tick

    def _seen(self, notification: Notification) -> bool:
        key = notification.deadline.key
        return all((key, t) in self._shown for t in notification.settles)

    def _notify(self, fresh: list[Notification]) -> None:
        text, detail = _message(fresh)
        if self.tray is not None:
            self.tray.showMessage(text, detail, QSystemTrayIcon.MessageIcon.Warning, 15_000)
        else:
            self._fallback(text, detail)
            self._on_bar.append(((text, detail), list(fresh)))

    def _follow_queue(self, open_keys: frozenset[str]) -> None:
        """Take back bar messages whose deadlines left the queue; re-say what remains."""
        if self._withdraw is None:
            return
        kept: list[tuple[tuple[str, str], list[Notification]]] = []
        for shown, notifications in self._on_bar:
            still = [n for n in notifications if n.deadline.key in open_keys]
            if len(still) == len(notifications):
                kept.append((shown, notifications))
                continue
            self._withdraw(*shown)
            if still:
                again = _message(still)
                self._fallback(*again)
                kept.append((again, still))
        self._on_bar = kept

    def _show_count(self, urgent: int) -> None:
        self.urgent = urgent
        if self.tray is None:
            return
        tip = plural(urgent, "deadline", "deadlines") + " under 4 h" if urgent else "Nothing urgent"
        self.tray.setToolTip(f"TikTok Console: {tip}")
        self.tray.setIcon(badged_icon(urgent))

    def _tray(self) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(badged_icon(0), self)
        menu = QMenu()
        open_page = QAction("Open Deadlines", menu)
        open_page.triggered.connect(self.open_requested)
        menu.addAction(open_page)
        tray.setContextMenu(menu)
        self._menu = menu  # the tray does not own its menu
        tray.messageClicked.connect(self.open_requested)
        tray.activated.connect(self._on_activated)
        tray.setToolTip("TikTok Console")
        tray.show()
        return tray

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.open_requested.emit()


def _message(notifications: Sequence[Notification]) -> tuple[str, str]:
    """The text and detail that say these notifications, the first one named."""
    first = notifications[0]
    order = f" (order {first.deadline.order_id})" if first.deadline.order_id else ""
    title = first.title + order
    if len(notifications) == 1:
        return title, first.body
    others = plural(len(notifications) - 1, "other deadline", "other deadlines")
    return f"{title}, and {others}", "\n".join(f"{n.title}. {n.body}" for n in notifications)


def badged_icon(count: int, size: int = 64) -> QIcon:
    """The app icon with the urgent count in a red badge (none when zero)."""
    pixmap = QIcon(str(resource_path("icon.svg"))).pixmap(size, size)
    if count:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        badge = QRect(size // 2 - 2, 0, size // 2 + 2, size // 2 + 2)
        painter.setBrush(QColor(DANGER))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(badge)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(size // 4 + 2)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
        painter.end()
    return QIcon(pixmap)


def install_deadline_alerts(
    window: MainWindow, context: PageContext, token_store: TokenStore | None
) -> DeadlineAlerts:
    """Give the window its deadline notifier: checks on changes, opens the page when asked."""
    alerts = DeadlineAlerts(
        context.work, context.settings.deadlines, token_store, window.message_bar.show_message,
        parent=window, withdraw=window.message_bar.withdraw,
    )  # fmt: skip

    def open_deadlines() -> None:
        window.showNormal()  # also brings back a minimised window
        window.raise_()
        window.activateWindow()
        window.show_page("deadlines")

    alerts.open_requested.connect(open_deadlines)
    context.bridge.changed.connect(alerts.on_changed)
    window.closing.connect(alerts.stop)
    alerts.start()
    return alerts
