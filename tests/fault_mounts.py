"""Real storage faults for tests that run as root (as CI does), where ``chmod`` stops nobody.

A read-only bind mount makes a file or folder read-only even for root; a small tmpfs
is a disk that fills up. Both need the right to mount: where it is missing (an
unprivileged container) the test is skipped, and the injected faults of the storage
tests (SQLite's own ``max_page_count`` and ``query_only``) still run.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*argv: str) -> bool:
    return subprocess.run(argv, capture_output=True).returncode == 0


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` (file or folder) is read-only for everyone, root included, inside."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if not _run("mount", "--bind", str(path), str(path)):
        pytest.skip("cannot bind-mount here (no CAP_SYS_ADMIN)")
    try:
        if not _run("mount", "-o", "remount,bind,ro", str(path), str(path)):
            pytest.skip("cannot remount read-only here")
        yield
    finally:
        _run("umount", "-l", str(path))


@contextlib.contextmanager
def tiny_disk(path: Path, size: str = "2m") -> Iterator[Path]:
    """A ``size`` filesystem mounted at ``path`` (created), unmounted afterwards."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _run(
        "mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)
    ):
        pytest.skip("cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)")
    try:
        yield path
    finally:
        _run("umount", "-l", str(path))


def fill(disk: Path) -> None:
    """Use up every free byte of ``disk``."""
    with contextlib.suppress(OSError), open(disk / "filler", "wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    with contextlib.suppress(OSError), open(disk / "filler-small", "wb") as handle:
        while True:
            handle.write(b"\0" * 512)
            handle.flush()
