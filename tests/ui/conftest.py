"""UI fixtures: a temporary profile with an open database, and a qasync loop."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync

from tiktok_console.core.paths import AppPaths
from tiktok_console.storage.database import open_database


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[AppPaths]:
    paths = AppPaths.for_profile(tmp_path / "profile").ensure()
    database = open_database(paths.database)
    yield paths
    database.close()


@pytest.fixture
def qt_loop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)
