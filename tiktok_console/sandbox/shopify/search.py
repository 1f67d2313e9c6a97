"""Shopify's search syntax (``query:`` arguments) over a search index that lags writes.

On a real store, ``orders(query: "tag:…")`` reads a search index that catches up
with writes after a moment, while ``order(id:)`` reads the database. The index
here keeps each record's searchable document and publishes a new version only
``lag`` seconds after the write, so a just-created order is found by ID at once
and by search only later.

Supported syntax: space-separated terms (implicit AND; the word ``AND`` is
skipped), ``OR`` between them (AND binds tighter, so ``a b OR c`` is
``(a AND b) OR c``; ``OR`` is a connective only in capitals and unquoted, and
parentheses are not supported), ``field:value``, ``field:'quoted value'``,
comparisons ``field:>v`` / ``>=`` / ``<`` / ``<=`` for times and numeric IDs (``id:>1000``
splits a catalog into ranges, as Shopify documents), ``-field:value`` negation,
comma lists for ``status``, a trailing ``*`` for prefix match, and bare words
matched against the title/name. Assumption: unknown fields match everything, as
Shopify ignores them (it only adds a search warning); a connective with nothing on
one side is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .money import parse_iso

Doc = dict[str, Any]

_TERM = re.compile(
    r"""(?P<neg>-)?(?:(?P<field>[A-Za-z_]+):(?P<op>[<>]=?)?)?(?P<value>'[^']*'|"[^"]*"|\S+)"""
)
_TIME_FIELDS = {"updated_at", "created_at", "processed_at"}
_ID_FIELDS = {"id", "product_id"}


@dataclass(frozen=True)
class Term:
    """One search term."""

    field: str | None
    op: str
    value: str
    negate: bool


def parse_query(query: str | None) -> list[Term]:
    """Split a search query without ``OR`` into terms (all of which must match)."""
    return [t for t in map(_term, _TERM.finditer(query or "")) if t is not None]


def parse_search(query: str | None) -> list[list[Term]]:
    """Split a search query at its ``OR`` connectives: any one of the conjunctions matches."""
    conjunctions: list[list[Term]] = [[]]
    for match in _TERM.finditer(query or ""):
        if match.group(0) == "OR":
            conjunctions.append([])
        elif (term := _term(match)) is not None:
            conjunctions[-1].append(term)
    return [terms for terms in conjunctions if terms] or [[]]


def _term(match: re.Match[str]) -> Term | None:
    """One term, or None for the connective ``AND`` (implicit anyway)."""
    value = match.group("value")
    field = match.group("field")
    if field is None and value in ("AND", "and"):
        return None
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return Term(
        field=field.lower() if field else None,
        op=match.group("op") or "",
        value=value,
        negate=bool(match.group("neg")),
    )


def matches(doc: Doc, terms: list[Term]) -> bool:
    """Whether ``doc`` satisfies every term."""
    return all(_term_matches(doc, term) != term.negate for term in terms)


def matches_any(doc: Doc, conjunctions: list[list[Term]]) -> bool:
    """Whether ``doc`` satisfies every term of at least one conjunction."""
    return any(matches(doc, terms) for terms in conjunctions)


def _term_matches(doc: Doc, term: Term) -> bool:
    field = term.field or "text"
    if field not in doc:
        return True
    actual = doc[field]
    if field in _TIME_FIELDS:
        return _compare_time(actual, term)
    if field in _ID_FIELDS and term.op:
        return _compare_id(actual, term)
    candidates = actual if isinstance(actual, list) else [actual]
    wanted = (
        [v.strip().lower() for v in term.value.split(",")]
        if field == "status"
        else [term.value.lower()]
    )
    for candidate in candidates:
        text = "" if candidate is None else str(candidate).lower()
        for want in wanted:
            if field == "text" and want in text:
                return True
            if want.endswith("*") and text.startswith(want[:-1]):
                return True
            if text == want:
                return True
    return False


def _compare_time(actual: float, term: Term) -> bool:
    try:
        wanted = parse_iso(term.value)
    except ValueError:
        return False
    return {
        ">": actual > wanted,
        ">=": actual >= wanted,
        "<": actual < wanted,
        "<=": actual <= wanted,
        "": int(actual) == int(wanted),
    }[term.op]


def _compare_id(actual: Any, term: Term) -> bool:
    try:
        have, wanted = int(actual), int(term.value)
    except ValueError:
        return False
    return {
        ">": have > wanted,
        ">=": have >= wanted,
        "<": have < wanted,
        "<=": have <= wanted,
    }[term.op]


class SearchIndex:
    """Searchable documents per record ID, each visible ``lag`` seconds after its write."""

    def __init__(self, lag: float) -> None:
        self.lag = lag
        self._visible: dict[int, Doc] = {}
        self._pending: list[tuple[float, int, Doc]] = []

    def put(self, record_id: int, doc: Doc, now: float, *, immediate: bool = False) -> None:
        """Record a new version of a document; it becomes searchable after the lag."""
        if immediate or self.lag <= 0:
            self._visible[record_id] = doc
        else:
            self._pending.append((now + self.lag, record_id, doc))

    def search(self, query: str | None, now: float) -> list[int]:
        """IDs of the documents visible at ``now`` that match ``query``, in ID order."""
        self._publish(now)
        conjunctions = parse_search(query)
        return sorted(i for i, doc in self._visible.items() if matches_any(doc, conjunctions))

    def _publish(self, now: float) -> None:
        ready = [p for p in self._pending if p[0] <= now]
        if not ready:
            return
        self._pending = [p for p in self._pending if p[0] > now]
        for _, record_id, doc in sorted(ready, key=lambda p: p[0]):
            self._visible[record_id] = doc
