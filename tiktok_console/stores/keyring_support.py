"""What the OS keyring offers on this machine, and whether it is safe for secrets.

keyring discovers its backends through package entry points; a frozen build
that forgot their metadata silently has none. The self-test checks this.

A backend is judged by what it does, not by its name: one that reports itself
unusable (priority at or below 0, or raising) is refused, and so is one that,
given a throwaway secret, writes it where anyone who can read the user's files
can read it back (keyrings.alt's plaintext file, or any look-alike).
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import time
import weakref
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path

import keyring
import keyring.backend
import keyring.util.platform_

from tiktok_console.core.errors import ConsoleError

SERVICE_NAME = "tiktok-console"
BACKEND_ENV = "PYTHON_KEYRING_BACKEND"

_INSTALL_HINT = (
    "The console keeps store sign-ins only in the system keyring, and none is usable here. "
    "Install and unlock GNOME Keyring or KWallet (Secret Service) on Linux; on Windows and "
    "macOS the system keyring is built in. Nothing was saved."
)


class KeyringUnavailableError(ConsoleError):
    """No usable OS keyring: tokens cannot be kept safely, so none are kept."""

    def __init__(self, detail: str = "", message: str = _INSTALL_HINT) -> None:
        super().__init__(message, detail)


def bundled_backends() -> list[str]:
    """Names of the keyring backends this installation can load."""
    return sorted(point.name for point in entry_points(group="keyring.backends"))


def system_keyring() -> keyring.backend.KeyringBackend:
    """The backend keyring picks (or ``PYTHON_KEYRING_BACKEND`` names).

    Raises:
        KeyringUnavailableError: ``PYTHON_KEYRING_BACKEND`` names a backend that
            cannot be loaded (a typo, or a package that is not installed).
    """
    try:
        return keyring.get_keyring()
    except (ImportError, AttributeError, ValueError, TypeError) as error:
        named = os.environ.get(BACKEND_ENV, "")
        raise KeyringUnavailableError(
            f"{type(error).__name__}: {error}",
            message=(
                f"The keyring backend {named!r} set in {BACKEND_ENV} cannot be loaded "
                f"({error}). Unset {BACKEND_ENV} to use the system keyring, or name an "
                "installed backend. Nothing was saved."
            )
            if named
            else f"The system keyring cannot be loaded ({error}). Nothing was saved.",
        ) from None


def usable_backend() -> str | None:
    """The backend keyring would use, or None when it offers none that stores safely."""
    try:
        backend = system_keyring()
        priority = float(backend.priority)
    except Exception:  # unloadable, or a backend saying it is unsuitable by raising
        return None
    if priority <= 0:
        return None
    return f"{type(backend).__module__}.{type(backend).__name__}"


_probed: weakref.WeakKeyDictionary[keyring.backend.KeyringBackend, Path | None] = (
    weakref.WeakKeyDictionary()
)


def plaintext_file_of(backend: keyring.backend.KeyringBackend) -> Path | None:
    """The readable file ``backend`` writes secrets into, or None if it writes none.

    Stores a random throwaway secret, looks for it (as is, or base64) in the
    files changed meanwhile under keyring's own data and config folders and any
    folder the backend names, then deletes it. Judged once per backend object.
    """
    if backend not in _probed:
        _probed[backend] = _probe(backend)
    return _probed[backend]


def _probe(backend: keyring.backend.KeyringBackend) -> Path | None:
    canary = "ttc-probe-" + secrets.token_hex(16)
    username = "probe-" + secrets.token_hex(8)
    roots = list(_candidate_roots(backend))
    started = time.time() - 2  # file times can be coarse
    backend.set_password(SERVICE_NAME, username, canary)
    try:
        return _file_holding(canary, roots, started)
    finally:
        with contextlib.suppress(Exception):
            backend.delete_password(SERVICE_NAME, username)


def _candidate_roots(backend: keyring.backend.KeyringBackend) -> Iterable[Path]:
    yield Path(keyring.util.platform_.data_root())
    yield Path(keyring.util.platform_.config_root())
    for value in vars(backend).values():
        if isinstance(value, str | os.PathLike) and str(value):
            path = Path(value)
            with contextlib.suppress(OSError, ValueError):
                if path.is_dir():
                    yield path
                elif path.parent.is_dir() and path.parent != Path(path.anchor):
                    yield path.parent


def _file_holding(canary: str, roots: list[Path], since: float) -> Path | None:
    needles = (canary.encode(), base64.b64encode(canary.encode()), canary.encode("utf-16-le"))
    for root in roots:
        if not root.is_dir():
            continue
        for path in _recent_files(root, since):
            with contextlib.suppress(OSError):
                content = path.read_bytes()
                if any(needle in content for needle in needles):
                    return path
    return None


def _recent_files(root: Path, since: float, limit: int = 2_000) -> Iterable[Path]:
    """Small files under ``root`` changed after ``since`` (a bounded walk)."""
    seen = 0
    for folder, _, names in os.walk(root):
        for name in names:
            seen += 1
            if seen > limit:
                return
            path = Path(folder, name)
            with contextlib.suppress(OSError):
                info = path.stat()
                if info.st_mtime >= since and info.st_size < 4_000_000:
                    yield path
