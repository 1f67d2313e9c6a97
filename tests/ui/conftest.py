"""UI fixtures: a temporary profile with an open database, services, and a qasync loop."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import qasync

from tests.stores.oauth.keyrings import TrackingTokenStore, temporary_token_store
from tiktok_console.app import Console
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import Profile, open_profile
from tiktok_console.sync.accounts import AccountService


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    paths = AppPaths.for_profile(tmp_path / "profile").ensure()
    opened = open_profile(paths, SecretRedactor())
    yield opened
    opened.close()


@pytest.fixture
def token_store(profile: Profile) -> Iterator[TrackingTokenStore]:
    """The real keyring where the machine has one (entries removed after), else memory."""
    with temporary_token_store(profile.redactor) as store:
        yield store


@pytest.fixture
def console(profile: Profile, token_store: TrackingTokenStore) -> Console:
    http = httpx.AsyncClient(timeout=10)
    return Console(profile, AccountService(token_store, http), http)


@pytest.fixture
def qt_loop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)
