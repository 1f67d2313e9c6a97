"""The keyring backend the store tests use, and a token store that cleans up after itself.

CI runs the suite inside ``dbus-run-session`` with an unlocked
``gnome-keyring-daemon``, so the real Secret Service is used there; without one
the tests fall back to the in-memory backend (and say so in the test report).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import keyring.backend

from tiktok_console.core.logs import SecretRedactor
from tiktok_console.stores.tokens import SERVICE_NAME, InMemoryKeyring, TokenStore


@functools.cache
def secret_service_usable() -> bool:
    """Whether a Secret Service answers and accepts a write (probed once)."""
    try:
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
        if backend.priority <= 0:
            return False
        probe = f"probe-{uuid.uuid4().hex}"
        backend.set_password(SERVICE_NAME, probe, "probe")
        backend.delete_password(SERVICE_NAME, probe)
    except Exception:
        return False
    return True


def make_backend() -> keyring.backend.KeyringBackend:
    """A fresh backend: the real Secret Service when usable, else in memory."""
    if secret_service_usable():
        from keyring.backends import SecretService

        return SecretService.Keyring()
    return InMemoryKeyring()


class TrackingTokenStore(TokenStore):
    """A token store that remembers every entry it wrote, to delete them afterwards."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.written: set[str] = set()

    def _set(self, username: str, value: str) -> None:
        super()._set(username, value)
        self.written.add(username)

    def entries(self) -> dict[str, str]:
        """Every entry it wrote that is still in the keyring, by username."""
        backend = self.check_available()
        values = {user: backend.get_password(SERVICE_NAME, user) for user in self.written}
        return {user: value for user, value in values.items() if value is not None}

    def cleanup(self) -> None:
        backend = self.check_available()
        for username in self.written:
            if backend.get_password(SERVICE_NAME, username) is not None:
                backend.delete_password(SERVICE_NAME, username)


@contextmanager
def temporary_token_store(
    redactor: SecretRedactor, backend: keyring.backend.KeyringBackend | None = None
) -> Iterator[TrackingTokenStore]:
    """A token store in a unique namespace whose entries are deleted on exit."""
    store = TrackingTokenStore(
        backend or make_backend(), redactor, namespace=f"test-{uuid.uuid4().hex[:12]}"
    )
    try:
        yield store
    finally:
        store.cleanup()
