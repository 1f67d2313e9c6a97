"""Cycles are collected on the GUI thread by the app's collector, never automatically."""

from __future__ import annotations

import gc
import threading
import weakref

from pytestqt.qtbot import QtBot

from tiktok_console.ui.gc_guard import GuiThreadCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_a_cycle_is_freed_by_the_timer_on_the_gui_thread(qtbot: QtBot) -> None:
    gc.enable()  # as an app starts
    collector = GuiThreadCollector(interval_ms=10)
    try:
        assert not gc.isenabled()
        freed_on: list[str] = []
        node = _Node()
        weakref.finalize(node, lambda: freed_on.append(threading.current_thread().name))
        del node
        for _ in range(gc.get_threshold()[0] * 2):  # allocations that would trigger a collection
            _Node()
        qtbot.waitUntil(lambda: bool(freed_on), timeout=2000)
        assert freed_on == [threading.main_thread().name]
    finally:
        collector.stop()
    assert gc.isenabled()
