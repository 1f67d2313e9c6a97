"""Which keyrings may hold secrets, judged by what they do (issue 14, item 9)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import keyring.backend
import keyring.errors
import pytest
from keyring.compat import properties

from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import MEMORY_KEYRING_ENV, Profile
from tiktok_console.stores.tokens import (
    InMemoryKeyring,
    KeyringUnavailableError,
    TokenStore,
    choose_backend,
)


class NotesVault(keyring.backend.KeyringBackend):
    """A backend whose name says nothing, that keeps secrets in a readable JSON file."""

    @properties.classproperty
    def priority(cls) -> float:
        return 5.0

    def __init__(self, folder: Path) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.store_path = folder / "vault.json"
        self._items: dict[str, str] = {}

    def _write(self) -> None:
        import json

        self.store_path.write_text(json.dumps(self._items))

    def get_password(self, service: str, username: str) -> str | None:
        return self._items.get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._items[f"{service}/{username}"] = password
        self._write()

    def delete_password(self, service: str, username: str) -> None:
        if self._items.pop(f"{service}/{username}", None) is None:
            raise keyring.errors.PasswordDeleteError("missing")
        self._write()


class SealedVault(NotesVault):
    """The same, but what it writes to disk is not the secret (as a real keyring)."""

    def _write(self) -> None:
        self.store_path.write_text(str(len(self._items)))


def test_a_backend_that_writes_secrets_into_a_file_is_refused(tmp_path: Path) -> None:
    backend = NotesVault(tmp_path)
    store = TokenStore(backend, SecretRedactor(), "p")
    with pytest.raises(KeyringUnavailableError) as caught:
        store.save_app_secret("shopify", "cid", "shpss_the_secret")
    assert "vault.json" in caught.value.detail
    assert "shpss_the_secret" not in backend.store_path.read_text()
    assert "ttc-probe" not in backend.store_path.read_text()  # the probe cleaned up


def test_a_backend_that_keeps_secrets_off_disk_is_used(tmp_path: Path) -> None:
    backend = SealedVault(tmp_path)
    assert choose_backend(backend) is backend
    store = TokenStore(backend, SecretRedactor(), "p")
    store.save_app_secret("shopify", "cid", "shpss_the_secret")
    assert store.load_app_secret("shopify", "cid") == "shpss_the_secret"


def test_an_unloadable_keyring_backend_is_explained(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "no_such_module.Keyring"}
    env.pop(MEMORY_KEYRING_ENV, None)
    result = subprocess.run(
        [sys.executable, "-m", "tiktok_console", "--profile", str(tmp_path / "p"), "connect",
         "shopify", "--shop", "x.myshopify.com", "--client-id", "cid"],
        input="secret\n", capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "PYTHON_KEYRING_BACKEND" in result.stderr and "no_such_module" in result.stderr


def _profile(tmp_path: Path) -> Profile:
    from tiktok_console.core.settings import Settings

    paths = AppPaths.for_profile(tmp_path)
    return Profile(paths, Settings(profile_id=uuid.uuid4().hex), SecretRedactor(), None)  # type: ignore[arg-type]


def test_the_memory_keyring_works_from_source_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MEMORY_KEYRING_ENV, "1")
    assert isinstance(_profile(tmp_path).token_store().check_available(), InMemoryKeyring)
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # as in the packaged app
    try:
        backend = _profile(tmp_path).token_store().check_available()
    except KeyringUnavailableError:
        return  # no system keyring here: refused, never kept in memory
    assert not isinstance(backend, InMemoryKeyring)
