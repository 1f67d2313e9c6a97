"""Sync fixtures: a profile connected to an in-process sandbox, and the engine's jobs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import Profile, open_profile
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.tokens import InMemoryKeyring, TokenStore
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.engine import Engine
from tiktok_console.sync.runtime import RuntimeOptions, build_engine
from tiktok_console.sync.sessions import Clocks

START = 1_770_000_000.0
UNDO_GRACE = 1.0  # seconds; the app's is 10


@pytest.fixture
def world_options() -> WorldOptions:
    """Override in a module to shape the world."""
    return WorldOptions(
        seed=21, products=20, orders=0, orders_per_minute=10, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus",
        unlisted_share=0.15,  # the catalog share these worlds were drawn with
    )  # fmt: skip


@pytest.fixture
def sandbox(world_options: WorldOptions) -> Iterator[SandboxRunner]:
    with running_sandbox(world_options) as runner:
        yield runner


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    opened = open_profile(AppPaths.for_profile(tmp_path / "p").ensure(), SecretRedactor())
    yield opened
    opened.close()


@dataclass
class Connected:
    """A profile connected to the sandbox, with its engine."""

    sandbox: SandboxRunner
    profile: Profile
    token_store: TokenStore
    http: httpx.AsyncClient
    engine: Engine
    options: RuntimeOptions


@pytest.fixture
async def connected(sandbox: SandboxRunner, profile: Profile) -> AsyncIterator[Connected]:
    clock = sandbox.world.clock
    clocks = Clocks(now=clock.now_dt)
    async with httpx.AsyncClient(timeout=2) as http:  # under the faults' 3 s hold
        token_store = profile.token_store(InMemoryKeyring())
        service = AccountService(token_store, http, now=clock.now_dt)
        await service.connect_sandbox(json.loads(sandbox.info().model_dump_json()))
        options = RuntimeOptions(
            clocks=clocks, index_lag=timedelta(seconds=2), backoff_base=0.05, backoff_max=1.0,
            catalog_page_pause=0.0,
        )  # fmt: skip
        profile.settings.orders.undo_grace_seconds = UNDO_GRACE  # "Map now" waits this long
        engine = build_engine(profile.settings, token_store, http, options=options)
        yield Connected(sandbox, profile, token_store, http, engine, options)
