"""What the window's wiring needs of the running app, as a protocol.

``console.Console`` fits it. The ui layer names this protocol rather than
``Console`` because ``console.py`` knows the sandbox runner (for the demo),
and only ``app.py`` and ``cli.py`` may reach the sandbox.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

import httpx

from tiktok_console.profile import Profile
from tiktok_console.sync.supervisor import Supervisor


class Stoppable(Protocol):
    """The demo's in-process stores: stopped last, when the app closes."""

    def stop(self) -> None:
        """Stop serving and join the server thread."""


class RunningApp(Protocol):
    """Profile, engine supervisor, GUI-loop HTTP client and start-up work of the app."""

    @property
    def profile(self) -> Profile:
        """The merchant's profile (settings, database)."""

    @property
    def demo(self) -> bool:
        """Whether this is the demo, on in-process sandbox stores."""

    @property
    def startup(self) -> list[asyncio.Task[Any]]:
        """Work started with the app (the demo's sign-ins, the self-test)."""

    @property
    def sync(self) -> Supervisor:
        """The engine's owner."""

    @property
    def http(self) -> httpx.AsyncClient:
        """The GUI loop's client (sign-in flows)."""

    @property
    def sandbox(self) -> Stoppable | None:
        """The demo's stores, if any."""
