"""Pausing Python's cyclic garbage collector while a batch builds many small objects.

It lives in ``sync``, around the batches (reconciling payouts, reading an
export), not in the pure ``domain`` rules those batches run.

Reconciling a year of payouts or importing a 100,000-row export creates a
few hundred thousand tuples, dicts and Decimals, none of them in a cycle.
The cyclic collector, triggered by the allocations, rescans the growing heap
again and again: measured, it took 40 % of a reconciliation. Reference
counting still frees everything as usual while it is paused; it is restored
(if it was on) when the batch ends, even on an error.

Batches may overlap on several threads (a headless reconciliation while an
import runs): the collector stays off until the last of them ends, then
returns to what it was before the first. When something else already manages
collection (the GUI's ``ui/gc_guard.py`` turns it off for good), a pause finds
it off and leaves it off. Nothing in the GUI needs the pause; the headless
``payouts`` and ``import-settlement`` commands do, for speed.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    """How many batches have the collector paused, and what to restore after the last."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.restore = False


_PAUSES = _Pauses()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Runs the ``with`` body with the cyclic collector off (overlapping bodies included)."""
    with _PAUSES.lock:
        if _PAUSES.depth == 0:
            _PAUSES.restore = gc.isenabled()
            gc.disable()
        _PAUSES.depth += 1
    try:
        yield
    finally:
        with _PAUSES.lock:
            _PAUSES.depth -= 1
            if _PAUSES.depth == 0 and _PAUSES.restore:
                gc.enable()
