"""Opening a profile: its directories, settings, logging, database and token store.

Shared by the GUI and every headless command, so they all see the same data
the same way. Part of the composition root, with ``app.py`` and ``cli.py``.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import keyring.backend
import peewee

from tiktok_console.core.errors import ProfileUnavailableError
from tiktok_console.core.identity import profile_identity
from tiktok_console.core.logs import SecretRedactor, setup_logging
from tiktok_console.core.paths import AppPaths
from tiktok_console.core.settings import Settings, load_settings, save_settings
from tiktok_console.storage.database import (
    ConfirmReset,
    close_database,
    open_database,
    refuse_reset,
)
from tiktok_console.stores.tokens import InMemoryKeyring, TokenStore

log = logging.getLogger(__name__)

MEMORY_KEYRING_ENV = "TIKTOK_CONSOLE_MEMORY_KEYRING"

# One per process, so every command run in a process (tests run several) sees
# the sign-ins the others saved; nothing of it outlives the process.
MEMORY_KEYRING = InMemoryKeyring()


def memory_keyring_allowed() -> bool:
    """Whether ``TIKTOK_CONSOLE_MEMORY_KEYRING=1`` is honoured here.

    Only when running from source (tests, development): a packaged app would
    say "Connected" and then lose the sign-in at exit, so it always uses the
    OS keyring (the demo passes its own memory keyring explicitly).
    """
    return os.environ.get(MEMORY_KEYRING_ENV) == "1" and not getattr(sys, "frozen", False)


@dataclass
class Profile:
    """An open profile.

    ``problems`` are what was wrong with the settings file and was reset, one
    sentence each, for the merchant to read.
    """

    paths: AppPaths
    settings: Settings
    redactor: SecretRedactor
    database: peewee.SqliteDatabase
    problems: list[str] = field(default_factory=list)

    def token_store(self, backend: keyring.backend.KeyringBackend | None = None) -> TokenStore:
        """The profile's token store: the OS keyring unless a backend is given (demo).

        ``TIKTOK_CONSOLE_MEMORY_KEYRING=1`` keeps tokens in process memory only
        (tests on machines without a Secret Service), never in a packaged app.
        """
        if backend is None and os.environ.get(MEMORY_KEYRING_ENV) == "1":
            if memory_keyring_allowed():
                log.warning("%s=1: sign-ins are kept in memory only, not saved", MEMORY_KEYRING_ENV)
                backend = MEMORY_KEYRING
            else:
                log.warning("%s is ignored by the packaged app", MEMORY_KEYRING_ENV)
        return TokenStore(backend, redactor=self.redactor, namespace=self.settings.profile_id)

    def save_settings(self) -> None:
        """Write the settings file.

        Raises:
            SettingsUnwritableError: the folder is read-only or the disk is full.
        """
        save_settings(self.settings, self.paths.settings_file)

    def close(self) -> None:
        """Close the database (checkpointing its WAL)."""
        close_database(self.database)


def resolve_paths(profile_dir: Path | None) -> AppPaths:
    """``--profile DIR`` or the user's standard directories, created and private.

    Raises:
        ProfileUnavailableError: a directory cannot be created or written.
    """
    return (AppPaths.for_profile(profile_dir) if profile_dir else AppPaths.default()).ensure()


def start_logging(paths: AppPaths, debug: bool) -> SecretRedactor:
    """Log to the profile's rotating file (and the console in debug), redacting secrets.

    Raises:
        ProfileUnavailableError: the log file cannot be opened.
    """
    redactor = SecretRedactor()
    try:
        setup_logging(paths.log_file, redactor, debug=debug)
    except OSError as error:
        raise ProfileUnavailableError(paths.log_dir, error) from error
    return redactor


def open_profile(
    paths: AppPaths, redactor: SecretRedactor, confirm_reset: ConfirmReset = refuse_reset
) -> Profile:
    """Open settings and the database of ``paths``.

    The profile's id comes from its own file, so whatever is wrong with the
    settings file, the keyring entries stay the profile's. The settings file
    is written only when something was reset in it.

    Raises:
        ConsoleError: the profile or database cannot be used (too new, damaged,
            read-only, disk full).
    """
    problems: list[str] = []
    settings = load_settings(paths.settings_file, problems)
    try:
        identity = profile_identity(paths.identity_file, paths.settings_file)
    except OSError as error:
        raise ProfileUnavailableError(paths.config_dir, error) from error
    if settings.profile_id != identity or problems or not paths.settings_file.exists():
        settings.profile_id = identity
        save_settings(settings, paths.settings_file)
    database = open_database(paths.database, confirm_reset=confirm_reset)
    return Profile(paths, settings, redactor, database, problems)
