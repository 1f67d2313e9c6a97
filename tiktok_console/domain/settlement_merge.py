"""Settlement lines from several sources, each settlement counted once.

The same file imported twice, two exports that overlap, or an export that
covers days the API already gave: the lines are joined by ``dedupe_key``.
Lines with one key and the same money are one settlement; the same key with
different money is a conflict, kept apart so it is shown, not summed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tiktok_console.domain.settlement_lines import (
    DedupeKey,
    SettlementLine,
    dedupe_key,
    same_money,
)


@dataclass(frozen=True)
class Conflict:
    """Two lines for one settlement that disagree; ``kept`` is the one counted."""

    kept: SettlementLine
    other: SettlementLine


@dataclass(frozen=True)
class MergeResult:
    """The union of the lines, and what the newcomers turned out to be.

    Attributes:
        lines: every settlement once (the known line where both had it).
        added: incoming lines that were new.
        duplicates: incoming lines already there with the same money.
        conflicts: incoming lines already there with different money.
        confirmed: keys both sources hold with the same money (source "both").
    """

    lines: tuple[SettlementLine, ...]
    added: int
    duplicates: int
    conflicts: tuple[Conflict, ...]
    confirmed: frozenset[DedupeKey]


def merge_lines(known: Iterable[SettlementLine], incoming: Iterable[SettlementLine]) -> MergeResult:
    """Adds ``incoming`` to ``known`` without counting any settlement twice.

    Known lines win a conflict: they are what the console already counted
    (the API's, or an earlier import), and the newcomer is shown beside them.
    """
    by_key: dict[DedupeKey, SettlementLine] = {}
    for line in known:
        by_key.setdefault(dedupe_key(line), line)
    sources = {key: line.source for key, line in by_key.items()}
    added = duplicates = 0
    conflicts: list[Conflict] = []
    confirmed: set[DedupeKey] = set()
    for line in incoming:
        key = dedupe_key(line)
        kept = by_key.get(key)
        if kept is None:
            by_key[key] = line
            added += 1
        elif same_money(kept, line):
            duplicates += 1
            if sources.get(key, kept.source) != line.source:
                confirmed.add(key)
        else:
            conflicts.append(Conflict(kept, line))
    return MergeResult(
        tuple(by_key.values()), added, duplicates, tuple(conflicts), frozenset(confirmed)
    )
