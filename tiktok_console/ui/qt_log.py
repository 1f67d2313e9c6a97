"""Qt's own messages (qWarning, qCritical) go to the log like everything else.

Without this they only reach stderr: a Qt critical at run time would not fail
the self-test, and merchants' log files would not show it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.ERROR,  # logged before Qt aborts
}


@contextmanager
def qt_messages_logged() -> Iterator[None]:
    """Route Qt's messages to the ``qt`` logger; the previous handler is back afterwards."""
    previous = qInstallMessageHandler(_log_message)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _log_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # Qt's logging categories (qt.qpa.fonts, ...) say where a message comes from.
    prefix = f"{context.category}: " if context.category not in (None, "default") else ""
    log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", prefix, message)
