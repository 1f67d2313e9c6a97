"""The executable schema per API version, built from the generated ``admin.graphql``.

One SDL holds the 2025-01 subset plus the 2026 deltas; older versions get the
SDL with the deltas they lack removed, so e.g. ``@idempotent`` is an unknown
directive on 2025-10 exactly as on the real store.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from graphql import GraphQLInterfaceType, GraphQLSchema, build_schema

from .versions import has_idempotent_directive, uses_change_from_quantity

SDL_PATH = Path(__file__).with_name("schema") / "admin.graphql"


def _sdl_for(version: str) -> str:
    sdl = SDL_PATH.read_text(encoding="utf-8")
    if not has_idempotent_directive(version):
        sdl = sdl.replace("directive @idempotent(key: String!) on FIELD\n", "")
        sdl = sdl.replace(", groupObjects: Boolean", "")
    if not uses_change_from_quantity(version):
        sdl = sdl.replace("  changeFromQuantity: Int\n", "")
        sdl = sdl.replace("  CHANGE_FROM_QUANTITY_STALE\n", "")
    return sdl


def _resolve_type(value: Any, info: Any, abstract: Any) -> str:
    return str(value["__typename"])


@functools.cache
def schema_for(version: str) -> GraphQLSchema:
    """The schema clients of ``version`` see (built once per version)."""
    schema = build_schema(_sdl_for(version))
    from .mutation_resolvers import MUTATION_RESOLVERS
    from .query_resolvers import QUERY_RESOLVERS

    assert schema.query_type is not None and schema.mutation_type is not None
    for name, resolver in QUERY_RESOLVERS.items():
        schema.query_type.fields[name].resolve = resolver
    for name, resolver in MUTATION_RESOLVERS.items():
        schema.mutation_type.fields[name].resolve = resolver
    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLInterfaceType):
            type_.resolve_type = _resolve_type
    return schema
