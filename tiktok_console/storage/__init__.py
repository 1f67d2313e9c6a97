"""Storage layer: SQLite through peewee, migrations, and read queries.

Read queries return frozen dataclasses: peewee rows never leave this package.
"""
