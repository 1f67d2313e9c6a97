"""Qt's own warnings and errors land in the app's log while the app runs."""

import logging

from PySide6.QtCore import qCritical, qDebug, qWarning

from tiktok_console.ui.qt_log import qt_messages_logged


def test_qt_messages_are_logged_under_qt_while_the_app_runs(qtlog, caplog) -> None:
    with caplog.at_level(logging.DEBUG, logger="qt"), qt_messages_logged():
        qWarning("QFont: a warning from Qt")
        qCritical("QPainter: a critical from Qt")
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("qt", logging.WARNING, "QFont: a warning from Qt"),
        ("qt", logging.ERROR, "QPainter: a critical from Qt"),
    ]
    assert not qtlog.records  # routed to the log, not to stderr


def test_the_previous_handler_is_back_afterwards(qtlog) -> None:
    with qt_messages_logged():
        pass
    qDebug("seen by the handler that was there before")
    assert [r.message for r in qtlog.records] == ["seen by the handler that was there before"]
