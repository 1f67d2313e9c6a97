"""Connected store accounts: saved, read back as ``Account``, forgotten on disconnect."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, cast

from tiktok_console.domain.accounts import Account, StoreKind
from tiktok_console.domain.store_health import HealthState, StoreHealth
from tiktok_console.storage.tables import AccountRow


def save_account(account: Account) -> None:
    """Insert or replace the account of ``account.store``."""
    fields: dict[str, Any] = dataclasses.asdict(account)
    fields["scopes"] = ",".join(account.scopes)
    del fields["health"]
    fields.update(_health_columns(account.health))
    AccountRow.insert(**fields).on_conflict_replace().execute()


def load_accounts() -> dict[StoreKind, Account]:
    """Every connected store, by kind."""
    return {cast(StoreKind, row.store): _account(row) for row in AccountRow.select()}


def load_account(store: StoreKind) -> Account | None:
    """The connected account of ``store``, if any."""
    row = AccountRow.get_or_none(AccountRow.store == store)
    return None if row is None else _account(row)


def delete_account(store: StoreKind) -> None:
    """Forget ``store`` (its keyring entries are deleted by the caller)."""
    AccountRow.delete().where(AccountRow.store == store).execute()


def record_call(store: StoreKind, at: datetime, error: str = "") -> None:
    """Note the outcome of a call to ``store``: success clears the last error."""
    update: dict[Any, Any] = {AccountRow.last_error: error}
    if not error:
        update[AccountRow.last_success_at] = at
    AccountRow.update(update).where(AccountRow.store == store).execute()


def record_health(store: StoreKind, health: StoreHealth) -> None:
    """Keep ``store``'s health, for every process (``status --json`` runs apart from sync)."""
    AccountRow.update(_health_columns(health)).where(AccountRow.store == store).execute()


def load_health() -> dict[StoreKind, StoreHealth]:
    """Each connected store's health as last recorded."""
    return {cast(StoreKind, row.store): _health(row) for row in AccountRow.select()}


def record_token_expiry(store: StoreKind, expires_at: datetime | None) -> None:
    """Note a refreshed token's expiry (the token itself stays in the keyring)."""
    AccountRow.update(token_expires_at=expires_at).where(AccountRow.store == store).execute()


def _account(row: AccountRow) -> Account:
    names = [field.name for field in dataclasses.fields(Account) if field.name != "health"]
    values = {name: getattr(row, name) for name in names}
    values["scopes"] = tuple(s for s in str(row.scopes).split(",") if s)
    return Account(**values, health=_health(row))


def _health_columns(health: StoreHealth) -> dict[str, Any]:
    return {
        "health": health.state.value,
        "health_since": health.since,
        "health_reason": health.reason,
    }


def _health(row: AccountRow) -> StoreHealth:
    try:
        state = HealthState(str(row.health))
    except ValueError:  # written by a newer console: say nothing rather than guess
        state = HealthState.OK
    return StoreHealth(state, row.health_since, str(row.health_reason or ""))
