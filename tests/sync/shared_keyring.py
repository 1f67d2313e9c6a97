"""A keyring backend in a JSON file, for tests where two processes share a sign-in.

A stand-in for the OS keyring (Secret Service), which these machines may lack:
``connect`` in one process saves tokens, ``sync`` in another reads them, and
``disconnect`` in a third deletes them. Picked with
``PYTHON_KEYRING_BACKEND=tests.sync.shared_keyring.SharedTestKeyring`` and
``TTC_TEST_KEYRING_FILE``. Never used outside tests.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors
from jaraco.classes import properties

FILE_ENV = "TTC_TEST_KEYRING_FILE"


class SharedTestKeyring(keyring.backend.KeyringBackend):
    """Entries in one JSON file, locked while read or written."""

    @properties.classproperty
    def priority(cls) -> float:
        return 1.0

    def _update(self, change: object = None) -> dict[str, str]:
        path = Path(os.environ[FILE_ENV])
        with open(path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            text = handle.read()
            entries: dict[str, str] = json.loads(text) if text else {}
            if callable(change):
                change(entries)
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(entries))
            return entries

    def get_password(self, service: str, username: str) -> str | None:
        return self._update().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._update(lambda entries: entries.__setitem__(f"{service}\x00{username}", password))

    def delete_password(self, service: str, username: str) -> None:
        key = f"{service}\x00{username}"
        if key not in self._update():
            raise keyring.errors.PasswordDeleteError("no such entry")
        self._update(lambda entries: entries.pop(key, None))
