"""Opening a profile: its directories, settings, logging, database and token store.

Shared by the GUI and every headless command, so they all see the same data
the same way. Part of the composition root, with ``app.py`` and ``cli.py``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import keyring.backend
import peewee

from tiktok_console.core.logs import SecretRedactor, setup_logging
from tiktok_console.core.paths import AppPaths
from tiktok_console.core.settings import Settings, load_settings, save_settings
from tiktok_console.storage.database import ConfirmReset, open_database, refuse_reset
from tiktok_console.stores.tokens import InMemoryKeyring, TokenStore

log = logging.getLogger(__name__)

MEMORY_KEYRING_ENV = "TIKTOK_CONSOLE_MEMORY_KEYRING"


@dataclass
class Profile:
    """An open profile."""

    paths: AppPaths
    settings: Settings
    redactor: SecretRedactor
    database: peewee.SqliteDatabase

    def token_store(self, backend: keyring.backend.KeyringBackend | None = None) -> TokenStore:
        """The profile's token store: the OS keyring unless a backend is given (demo).

        ``TIKTOK_CONSOLE_MEMORY_KEYRING=1`` keeps tokens in process memory only
        (tests on machines without a Secret Service); nothing is ever written.
        """
        if backend is None and os.environ.get(MEMORY_KEYRING_ENV) == "1":
            log.warning("%s=1: sign-ins are kept in memory only, not saved", MEMORY_KEYRING_ENV)
            backend = InMemoryKeyring()
        return TokenStore(backend, redactor=self.redactor, namespace=self.settings.profile_id)

    def save_settings(self) -> None:
        """Write the settings file."""
        save_settings(self.settings, self.paths.settings_file)

    def close(self) -> None:
        """Close the database."""
        self.database.close()


def resolve_paths(profile_dir: Path | None) -> AppPaths:
    """``--profile DIR`` or the user's standard directories, created."""
    return (AppPaths.for_profile(profile_dir) if profile_dir else AppPaths.default()).ensure()


def start_logging(paths: AppPaths, debug: bool) -> SecretRedactor:
    """Log to the profile's rotating file (and the console in debug), redacting secrets."""
    redactor = SecretRedactor()
    setup_logging(paths.log_file, redactor, debug=debug)
    return redactor


def open_profile(
    paths: AppPaths, redactor: SecretRedactor, confirm_reset: ConfirmReset = refuse_reset
) -> Profile:
    """Open settings and the database of ``paths``.

    Raises:
        ConsoleError: the database cannot be used (too new, damaged, unwritable).
    """
    settings = load_settings(paths.settings_file)
    save_settings(settings, paths.settings_file)  # keeps a new profile id for next time
    database = open_database(paths.database, confirm_reset=confirm_reset)
    return Profile(paths, settings, redactor, database)
