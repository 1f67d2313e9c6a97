"""What the engine tells its listeners (the UI bridge, the CLI): plain data, no Qt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Changed:
    """Data under these topics changed; views showing them should refresh."""

    topics: frozenset[str]


@dataclass(frozen=True)
class JobStateChanged:
    """A job started, finished, paused, or failed and is backing off."""

    job: str
    state: str  # idle | running | paused | backing_off
    detail: str = ""


Event = Changed | JobStateChanged
Listener = Callable[[Event], None]


def ignore(_: Event) -> None:
    """A listener that listens to nothing (headless runs)."""
