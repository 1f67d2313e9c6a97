"""UI fixtures: a temporary profile with an open database, services, and a qasync loop."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import qasync

from tiktok_console.app import Console
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import Profile, open_profile
from tiktok_console.stores.tokens import InMemoryKeyring
from tiktok_console.sync.accounts import AccountService


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    paths = AppPaths.for_profile(tmp_path / "profile").ensure()
    opened = open_profile(paths, SecretRedactor())
    yield opened
    opened.close()


@pytest.fixture
def keyring_backend() -> InMemoryKeyring:
    return InMemoryKeyring()


@pytest.fixture
def console(profile: Profile, keyring_backend: InMemoryKeyring) -> Console:
    http = httpx.AsyncClient(timeout=10)
    return Console(profile, AccountService(profile.token_store(keyring_backend), http), http)


@pytest.fixture
def qt_loop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)
