"""The GraphQL documents the Shopify client sends, kept as ``.graphql`` files.

Keeping them as files lets a test validate every one against the sandbox's
schema and the real Admin schema, and keeps queries readable.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

GRAPHQL_DIR = Path(__file__).with_name("graphql")


@cache
def document(name: str) -> str:
    """The text of ``graphql/<name>.graphql``."""
    path = GRAPHQL_DIR / f"{name}.graphql"
    if not path.is_file():
        raise KeyError(f"no GraphQL document named {name!r} in {GRAPHQL_DIR}")
    return path.read_text(encoding="utf-8")


def all_documents() -> dict[str, str]:
    """Every document, by name."""
    return {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted(GRAPHQL_DIR.glob("*.graphql"))
    }
