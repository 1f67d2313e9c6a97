"""The token store: round trips, deletion, damaged entries, refusal without a safe keyring."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import keyring.backend
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyring.backends import fail, null
from keyring.compat import properties

from tests.stores.oauth.keyrings import (
    TrackingTokenStore,
    make_backend,
    secret_service_usable,
    temporary_token_store,
)
from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.stores.tokens import (
    SERVICE_NAME,
    CorruptTokenEntryError,
    InMemoryKeyring,
    KeyringUnavailableError,
    StoredTokens,
    TokenStore,
    account_key,
    choose_backend,
)

SHOP = account_key("shopify", "harbor-and-pine.myshopify.com")
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def redactor() -> SecretRedactor:
    return SecretRedactor()


@pytest.fixture
def store(redactor: SecretRedactor) -> Iterator[TrackingTokenStore]:
    with temporary_token_store(redactor) as token_store:
        yield token_store


def tokens(suffix: str = "a") -> StoredTokens:
    return StoredTokens(
        access_token=f"shpua_access_{suffix}_0123456789",
        access_expires_at=T0 + timedelta(hours=1),
        refresh_token=f"shprt_refresh_{suffix}_0123456789",
        refresh_expires_at=T0 + timedelta(days=30),
    )


def test_which_backend_ran(store: TrackingTokenStore) -> None:
    """Says in the report which keyring the store tests used."""
    name = store.backend_name
    print(f"token store tests use {name}")
    expected = "SecretService" if secret_service_usable() else "InMemoryKeyring"
    assert expected in name


def test_round_trip(store: TrackingTokenStore) -> None:
    assert store.load(SHOP) is None
    store.save(SHOP, tokens())
    assert store.load(SHOP) == tokens()


def test_expiries_come_back_aware_utc(store: TrackingTokenStore) -> None:
    paris = timezone(timedelta(hours=1))
    store.save(
        SHOP, StoredTokens(access_token="tok_" + "x" * 20, access_expires_at=T0.astimezone(paris))
    )
    loaded = store.load(SHOP)
    assert loaded is not None and loaded.access_expires_at == T0
    assert loaded.access_expires_at.utcoffset() == timedelta(0)


def test_naive_expiry_is_refused() -> None:
    with pytest.raises(ValueError):
        StoredTokens(access_token="tok", access_expires_at=datetime(2026, 1, 1))


def test_profiles_do_not_collide(redactor: SecretRedactor) -> None:
    backend = make_backend()
    with (
        temporary_token_store(redactor, backend) as one,
        temporary_token_store(redactor, backend) as two,
    ):
        one.save(SHOP, tokens("one"))
        two.save(SHOP, tokens("two"))
        assert one.load(SHOP) == tokens("one")
        assert two.load(SHOP) == tokens("two")


def test_delete_removes_the_entries_from_the_backend(store: TrackingTokenStore) -> None:
    store.save(SHOP, tokens())
    store.save_app_secret("shopify", "client123", "shpss_secret_value_123")
    backend = store.check_available()
    usernames = set(store.written)
    assert all(backend.get_password(SERVICE_NAME, u) for u in usernames)
    store.delete(SHOP)
    store.delete_app_secret("shopify", "client123")
    assert all(backend.get_password(SERVICE_NAME, u) is None for u in usernames)
    assert store.load(SHOP) is None
    assert store.load_app_secret("shopify", "client123") is None
    store.delete(SHOP)  # deleting twice is fine


def test_app_secrets_are_separate_entries(store: TrackingTokenStore) -> None:
    store.save(SHOP, tokens())
    store.save_app_secret("tiktok", "6abc", "tiktok-app-secret-value")
    assert store.load_app_secret("tiktok", "6abc") == "tiktok-app-secret-value"
    assert len(store.written) == 2
    assert any("app-secret:tiktok:6abc" in u for u in store.written)
    assert store.load(SHOP) == tokens()


def test_corrupt_entry_is_a_console_error(store: TrackingTokenStore) -> None:
    store.save(SHOP, tokens())
    (username,) = store.written
    store.check_available().set_password(SERVICE_NAME, username, "{not json")
    with pytest.raises(CorruptTokenEntryError) as caught:
        store.load(SHOP)
    assert isinstance(caught.value, ConsoleError)
    assert "Reconnect" in caught.value.message


def test_wrong_shape_entry_is_a_console_error(store: TrackingTokenStore) -> None:
    store.save(SHOP, tokens())
    (username,) = store.written
    store.check_available().set_password(SERVICE_NAME, username, '{"token": "x"}')
    with pytest.raises(CorruptTokenEntryError):
        store.load(SHOP)


def test_tokens_are_registered_with_the_redactor(redactor: SecretRedactor) -> None:
    backend = InMemoryKeyring()
    TokenStore(backend, redactor, "p1").save(SHOP, tokens())
    fresh = SecretRedactor()
    loaded = TokenStore(backend, fresh, "p1").load(SHOP)
    assert loaded is not None
    for value in (loaded.access_token, loaded.refresh_token):
        assert value is not None
        assert value not in redactor.redact(f"x {value} y")
        assert value not in fresh.redact(f"x {value} y")


def test_replace_refresh_token_is_compare_and_set(store: TrackingTokenStore) -> None:
    store.save(SHOP, tokens("a"))
    assert store.replace_refresh_token(SHOP, tokens("a").refresh_token, tokens("b"))
    assert store.load(SHOP) == tokens("b")
    # A second refresher still holding "a" lost the race: nothing is overwritten.
    assert not store.replace_refresh_token(SHOP, tokens("a").refresh_token, tokens("c"))
    assert store.load(SHOP) == tokens("b")


class CountingKeyring(InMemoryKeyring):
    """Counts writes, to show a rotation is one write of the whole entry."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes.append(password)
        super().set_password(service, username, password)


def test_rotation_is_one_write_of_the_whole_entry() -> None:
    backend = CountingKeyring()
    token_store = TokenStore(backend, SecretRedactor(), "p")
    token_store.save(SHOP, tokens("a"))
    token_store.replace_refresh_token(SHOP, tokens("a").refresh_token, tokens("b"))
    assert len(backend.writes) == 2
    assert StoredTokens.model_validate_json(backend.writes[-1]) == tokens("b")


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Stands in for keyrings.alt's file backend (whose name says plaintext)."""

    @properties.classproperty
    def priority(cls) -> float:
        # Never picked by keyring's discovery for the rest of the session.
        raise RuntimeError("test stand-in")

    def __init__(self, folder: Path) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.folder = folder

    def get_password(self, service: str, username: str) -> str | None:
        path = self.folder / "keyring.txt"
        return path.read_text() if path.exists() else None

    def set_password(self, service: str, username: str, password: str) -> None:
        (self.folder / "keyring.txt").write_text(password)

    def delete_password(self, service: str, username: str) -> None:
        (self.folder / "keyring.txt").unlink()


@pytest.mark.parametrize("kind", ["fail", "null", "plaintext"])
def test_no_safe_keyring_refuses_and_writes_nothing(kind: str, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    backends: dict[str, keyring.backend.KeyringBackend] = {
        "fail": fail.Keyring(),
        "null": null.Keyring(),
        "plaintext": PlaintextKeyring(profile),
    }
    token_store = TokenStore(backends[kind], SecretRedactor(), "p")
    with pytest.raises(KeyringUnavailableError) as caught:
        token_store.save(SHOP, tokens())
    assert "GNOME Keyring" in caught.value.message and "KWallet" in caught.value.message
    assert "Nothing was saved" in caught.value.message
    with pytest.raises(KeyringUnavailableError):
        token_store.save_app_secret("shopify", "cid", "shpss_secret_value")
    with pytest.raises(KeyringUnavailableError):
        token_store.check_available()
    assert list(profile.rglob("*")) == []


def test_chain_skips_plaintext_for_a_safe_backend(tmp_path: Path) -> None:
    from keyring.backends.chainer import ChainerBackend

    safe = InMemoryKeyring()

    class Chain(ChainerBackend):
        backends = (PlaintextKeyring(tmp_path), safe)  # type: ignore[assignment]

    assert choose_backend(Chain()) is safe


def test_in_memory_keyring_is_never_chosen_by_discovery() -> None:
    assert not InMemoryKeyring.viable
    assert InMemoryKeyring not in set(keyring.backend.KeyringBackend.get_viable_backends())


token_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(access=token_text, refresh=st.none() | token_text, seconds=st.integers(-(10**9), 10**9))
def test_any_token_value_round_trips(
    store: TrackingTokenStore, access: str, refresh: str | None, seconds: int
) -> None:
    value = StoredTokens(
        access_token=access,
        access_expires_at=T0 + timedelta(seconds=seconds),
        refresh_token=refresh,
    )
    store.save(SHOP, value)
    assert store.load(SHOP) == value
