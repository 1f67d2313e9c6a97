"""The peewee tables (``*Row``). Their schema is created by migrations, never here."""

from __future__ import annotations

import peewee

from tiktok_console.storage.database import db
from tiktok_console.storage.fields import UtcDateTimeField


class BaseRow(peewee.Model):
    """All tables bind to the one database proxy."""

    class Meta:
        database = db
        legacy_table_names = False


class ActivityRow(BaseRow):
    """One thing the console did or failed to do, for the Activity log."""

    at = UtcDateTimeField(index=True)
    level = peewee.CharField(max_length=16)  # info | warning | error
    job = peewee.CharField(max_length=64, index=True)
    action = peewee.CharField(max_length=64)
    subject = peewee.CharField(max_length=255, default="")
    message = peewee.TextField()
    detail = peewee.TextField(default="")
    retryable = peewee.BooleanField(default=False)


class JobStateRow(BaseRow):
    """A sync job's cursor and switches, written with the data the cursor describes."""

    name = peewee.CharField(max_length=64, primary_key=True)
    cursor = peewee.TextField(default="")
    paused = peewee.BooleanField(default=False)
    last_success_at = UtcDateTimeField(null=True)
    last_error = peewee.TextField(default="")
    updated_at = UtcDateTimeField()


class AccountRow(BaseRow):
    """A connected store: what the merchant sees and how to reach it. Never a secret."""

    store = peewee.CharField(max_length=16, primary_key=True)
    account_key = peewee.CharField(max_length=255)
    shop = peewee.CharField(max_length=255)
    shop_name = peewee.CharField(max_length=255, default="")
    region = peewee.CharField(max_length=8, default="")
    scopes = peewee.TextField(default="")
    app_id = peewee.CharField(max_length=255, default="")
    api_url = peewee.CharField(max_length=512, default="")
    auth_url = peewee.CharField(max_length=512, default="")
    authorize_url = peewee.CharField(max_length=1024, default="")
    open_id = peewee.CharField(max_length=255, default="")
    shop_cipher = peewee.CharField(max_length=255, default="")
    expiring = peewee.BooleanField(default=False)
    demo = peewee.BooleanField(default=False)
    connected_at = UtcDateTimeField()
    token_expires_at = UtcDateTimeField(null=True)
    last_success_at = UtcDateTimeField(null=True)
    last_error = peewee.TextField(default="")
