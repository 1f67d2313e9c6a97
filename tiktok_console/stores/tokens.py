"""Tokens and app secrets in the OS keyring, never anywhere else.

One keyring entry per connected account holds the account's tokens and their
expiries as one JSON document, so a refresh replaces both tokens with a single
write and a crash can never leave a new access token beside an old refresh
token. App secrets (Shopify client secret, TikTok app secret) are entries of
their own. Every entry's username starts with the profile id (``namespace``) so
two profiles on one machine never read each other's sign-ins.

When the machine has no real keyring (only backends that store nothing, or
that write secrets into a readable file, as ``keyrings.alt``'s do) nothing is
saved at all: the merchant is told what to install instead.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import keyring
import keyring.backend
import keyring.errors
from keyring.backends.chainer import ChainerBackend
from keyring.compat import properties
from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError, field_validator

from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.stores.keyring_support import (
    SERVICE_NAME,
    KeyringUnavailableError,
    plaintext_file_of,
    system_keyring,
)

__all__ = ["SERVICE_NAME", "KeyringUnavailableError", "StoredTokens", "TokenStore"]

log = logging.getLogger(__name__)


class CorruptTokenEntryError(ConsoleError):
    """A keyring entry exists but does not hold what the console wrote there."""

    def __init__(self, account_key: str, detail: str = "") -> None:
        super().__init__(
            f"The saved sign-in for {account_key} is damaged and cannot be read. "
            "Reconnect the store on the Accounts page.",
            detail,
        )
        self.account_key = account_key


class StoredTokens(BaseModel):
    """What one keyring entry holds: tokens and their expiries (aware UTC), nothing else.

    ``None`` expiries mean the store did not give one (non-expiring Shopify tokens).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    access_token: str
    access_expires_at: AwareDatetime | None = None
    refresh_token: str | None = None
    refresh_expires_at: AwareDatetime | None = None

    @field_validator("access_expires_at", "refresh_expires_at")
    @classmethod
    def _to_utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def access_expired(self, now: datetime, margin_seconds: float = 0) -> bool:
        """Whether the access token is (or within ``margin_seconds`` will be) expired."""
        if self.access_expires_at is None:
            return False
        return (self.access_expires_at - now).total_seconds() <= margin_seconds


class InMemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives and dies with the process (demo mode, tests).

    It is never picked by keyring's own discovery (its priority refuses), only
    when passed to ``TokenStore`` explicitly.
    """

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self._entries: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("InMemoryKeyring is only used when passed explicitly")

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            if self._entries.pop((service, username), None) is None:
                raise keyring.errors.PasswordDeleteError("no such entry")

    def entries(self) -> dict[tuple[str, str], str]:
        """A copy of every entry (tests look inside)."""
        with self._lock:
            return dict(self._entries)


def refusal_reason(backend: keyring.backend.KeyringBackend) -> str | None:
    """Why ``backend`` must not hold secrets, or None when it may.

    Judged by behaviour: a backend that says it is unusable (priority 0 or
    below, as keyring's fail and null backends do, or raising), or that writes a
    secret into a readable file, is refused, whatever it is called.
    """
    if isinstance(backend, InMemoryKeyring):
        return None
    kind = type(backend)
    name = f"{kind.__module__}.{kind.__qualname__}"
    try:
        priority = float(backend.priority)
    except Exception as error:  # a backend reports unsuitability by raising here
        return f"{name} is not usable: {error}"
    if priority <= 0:
        return f"{name} has priority {priority}: it stores nothing"
    try:
        written = plaintext_file_of(backend)
    except keyring.errors.KeyringError as error:
        return f"{name} could not store a test entry: {error}"
    if written is not None:
        return f"{name} stores secrets readably in the file {written}"
    return None


def choose_backend(
    backend: keyring.backend.KeyringBackend | None,
) -> keyring.backend.KeyringBackend:
    """The backend to use: the given one, else the system's, never a refused one.

    A chainer would fall through to the next backend when one fails, which could
    be a plaintext one; so the first acceptable backend of the chain is used alone.

    Raises:
        KeyringUnavailableError: no backend is safe, or the configured one cannot load.
    """
    candidate = backend if backend is not None else system_keyring()
    if isinstance(candidate, ChainerBackend):
        reasons = []
        for inner in candidate.backends:
            reason = refusal_reason(inner)
            if reason is None:
                chosen: keyring.backend.KeyringBackend = inner
                return chosen
            reasons.append(reason)
        raise KeyringUnavailableError("; ".join(reasons) or "the keyring chain is empty")
    reason = refusal_reason(candidate)
    if reason is not None:
        raise KeyringUnavailableError(reason)
    return candidate


class TokenStore:
    """Reads and writes sign-ins and app secrets in the OS keyring.

    Args:
        backend: a keyring backend; None means the system's (checked first use).
        redactor: every token and secret read or written is registered here.
        namespace: the profile id, so two profiles never share entries.
    """

    def __init__(
        self,
        backend: keyring.backend.KeyringBackend | None = None,
        redactor: SecretRedactor | None = None,
        namespace: str = "default",
    ) -> None:
        self._requested = backend
        self._backend: keyring.backend.KeyringBackend | None = None
        self._redactor = redactor or SecretRedactor()
        self.namespace = namespace
        self._lock = threading.RLock()

    def check_available(self) -> keyring.backend.KeyringBackend:
        """The backend in use; raises ``KeyringUnavailableError`` when there is none safe."""
        with self._lock:
            if self._backend is None:
                self._backend = choose_backend(self._requested)
                log.debug("token store uses %s", type(self._backend).__qualname__)
            return self._backend

    @property
    def backend_name(self) -> str:
        """The chosen backend's class, for the self-test and the test report."""
        kind = type(self.check_available())
        return f"{kind.__module__}.{kind.__qualname__}"

    def register_secret(self, value: str | None) -> None:
        """Have the log redact ``value`` (an auth code, say) that is not stored here."""
        self._redactor.add_secret(value)

    # Tokens -----------------------------------------------------------------

    def save(self, account_key: str, tokens: StoredTokens) -> None:
        """Write (or overwrite) an account's tokens in one keyring write."""
        self._register(tokens)
        self._set(self._username(account_key), tokens.model_dump_json())

    def load(self, account_key: str) -> StoredTokens | None:
        """The account's tokens, or None when it was never saved (or deleted)."""
        raw = self._get(self._username(account_key))
        if raw is None:
            return None
        try:
            tokens = StoredTokens.model_validate_json(raw)
        except ValidationError as error:
            # The detail names the fields that failed, never the entry's content.
            problems = ", ".join(str(e["loc"]) + " " + e["type"] for e in error.errors())
            raise CorruptTokenEntryError(account_key, problems) from None
        self._register(tokens)
        return tokens

    def delete(self, account_key: str) -> None:
        """Remove an account's entry; a missing entry is not an error."""
        self._delete(self._username(account_key))

    def replace_refresh_token(
        self, account_key: str, old_refresh_token: str | None, new_tokens: StoredTokens
    ) -> bool:
        """Store a rotated token pair, unless another refresh already replaced the old one.

        The whole entry is written with one ``set_password``, never piece by piece.

        Returns:
            True if written; False if the stored refresh token is no longer
            ``old_refresh_token`` (someone refreshed first: ``load()`` theirs).
        """
        self._register(new_tokens)
        with self._lock:
            current = self.load(account_key)
            if current is not None and current.refresh_token != old_refresh_token:
                return False
            self.save(account_key, new_tokens)
            return True

    # App secrets ------------------------------------------------------------

    def save_app_secret(self, store: str, app_id: str, secret: str) -> None:
        """Keep an app's secret (``store`` is ``shopify`` or ``tiktok``)."""
        self._redactor.add_secret(secret)
        self._set(self._secret_username(store, app_id), secret)

    def load_app_secret(self, store: str, app_id: str) -> str | None:
        """An app's secret, or None."""
        secret = self._get(self._secret_username(store, app_id))
        self._redactor.add_secret(secret)
        return secret

    def delete_app_secret(self, store: str, app_id: str) -> None:
        """Forget an app's secret; a missing entry is not an error."""
        self._delete(self._secret_username(store, app_id))

    # Internals --------------------------------------------------------------

    def _username(self, account_key: str) -> str:
        return f"{self.namespace}/{account_key}"

    def _secret_username(self, store: str, app_id: str) -> str:
        return f"{self.namespace}/app-secret:{store}:{app_id}"

    def _register(self, tokens: StoredTokens) -> None:
        self._redactor.add_secret(tokens.access_token)
        self._redactor.add_secret(tokens.refresh_token)

    def _set(self, username: str, value: str) -> None:
        backend = self.check_available()
        try:
            backend.set_password(SERVICE_NAME, username, value)
        except keyring.errors.KeyringError as error:
            raise KeyringUnavailableError(f"{type(error).__name__}: {error}") from None

    def _get(self, username: str) -> str | None:
        backend = self.check_available()
        try:
            return backend.get_password(SERVICE_NAME, username)
        except keyring.errors.KeyringError as error:
            raise KeyringUnavailableError(f"{type(error).__name__}: {error}") from None

    def _delete(self, username: str) -> None:
        backend = self.check_available()
        try:
            backend.delete_password(SERVICE_NAME, username)
        except keyring.errors.PasswordDeleteError:
            pass  # already gone: deleting is idempotent
        except keyring.errors.KeyringError as error:
            raise KeyringUnavailableError(f"{type(error).__name__}: {error}") from None


def account_key(store: str, account_id: str) -> str:
    """The account part of an entry name: ``shopify:<shop-domain>``, ``tiktok:<open_id>``."""
    return f"{store}:{account_id}"
