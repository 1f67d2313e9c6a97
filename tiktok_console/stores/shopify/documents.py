"""The GraphQL documents the Shopify client sends, kept as ``.graphql`` files.

Keeping them as files lets a test validate every one against the sandbox's
schema and the real Admin schema, and keeps queries readable. The inner
queries of bulk operations live in ``graphql/bulk/``: a bulk operation takes
no variables, so their root connection's filter is written into the text.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

GRAPHQL_DIR = Path(__file__).with_name("graphql")
BULK_DIR = GRAPHQL_DIR / "bulk"


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


@cache
def _bulk_text(name: str) -> str:
    path = BULK_DIR / f"{name}.graphql"
    if not path.is_file():
        raise KeyError(f"no bulk query named {name!r} in {BULK_DIR}")
    return path.read_text(encoding="utf-8")


def bulk_query(name: str, filter_query: str = "") -> str:
    """The bulk query ``graphql/bulk/<name>.graphql``, its root connection filtered by
    ``filter_query`` (Shopify's search syntax, e.g. ``id:>100 id:<=200``) when given."""
    text = _bulk_text(name)
    if not filter_query:
        return text
    root = text.index("{", text.index("{") + 1)  # the root connection's selection
    quoted = json.dumps(filter_query)  # a GraphQL string literal is a JSON string
    return f"{text[:root].rstrip()}(query: {quoted}) {text[root:]}"


def all_bulk_queries() -> dict[str, str]:
    """Every bulk query, by name (unfiltered)."""
    return {path.stem: _bulk_text(path.stem) for path in sorted(BULK_DIR.glob("*.graphql"))}
