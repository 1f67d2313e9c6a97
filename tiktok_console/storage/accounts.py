"""Connected store accounts: saved, read back as ``Account``, forgotten on disconnect."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, cast

from tiktok_console.domain.accounts import Account, StoreKind
from tiktok_console.storage.tables import AccountRow


def save_account(account: Account) -> None:
    """Insert or replace the account of ``account.store``."""
    fields: dict[str, Any] = dataclasses.asdict(account)
    fields["scopes"] = ",".join(account.scopes)
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


def record_token_expiry(store: StoreKind, expires_at: datetime | None) -> None:
    """Note a refreshed token's expiry (the token itself stays in the keyring)."""
    AccountRow.update(token_expires_at=expires_at).where(AccountRow.store == store).execute()


def _account(row: AccountRow) -> Account:
    values = {field.name: getattr(row, field.name) for field in dataclasses.fields(Account)}
    values["scopes"] = tuple(s for s in str(row.scopes).split(",") if s)
    return Account(**values)
