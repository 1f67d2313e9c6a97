"""The peewee tables match what the migrations create, column for column."""

from pathlib import Path

from tiktok_console.storage import tables
from tiktok_console.storage.database import open_database
from tiktok_console.storage.fulfillment import tables as fulfillment_tables
from tiktok_console.storage.inventory import tables as inventory_tables


def test_every_table_and_column_exists_after_migrating(tmp_path: Path) -> None:
    database = open_database(tmp_path / "db.sqlite3")
    modules = (tables, inventory_tables, fulfillment_tables)
    rows = {
        model
        for module in modules
        for model in vars(module).values()
        if isinstance(model, type) and issubclass(model, tables.BaseRow)
    }
    rows.remove(tables.BaseRow)
    assert len(rows) >= 15
    for model in rows:
        table = model._meta.table_name
        columns = {column.name for column in database.get_columns(table)}
        assert columns, f"{model.__name__}: no table {table}"
        fields = {field.column_name for field in model._meta.sorted_fields}
        assert fields == columns, f"{model.__name__}: {fields ^ columns}"
    database.close()
