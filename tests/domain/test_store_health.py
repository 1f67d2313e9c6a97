"""The health state machine over any sequence of call results (issue 13, item 1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.store_health import (
    NO_NETWORK,
    CallResult,
    HealthState,
    StoreHealth,
    describe,
    next_health,
    no_network,
)

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
results = st.lists(st.sampled_from(list(CallResult)), max_size=40)


def fold(sequence: list[CallResult]) -> list[StoreHealth]:
    health, seen = StoreHealth(), []
    for n, result in enumerate(sequence):
        health = next_health(health, result, T0 + timedelta(seconds=n), f"reason {n}")
        seen.append(health)
    return seen


@given(results)
def test_the_state_is_the_last_result_except_that_only_a_success_ends_reconnect(
    sequence: list[CallResult],
) -> None:
    for n, health in enumerate(fold(sequence)):
        before = sequence[: n + 1]
        refused = [i for i, r in enumerate(before) if r is CallResult.SIGN_IN_REFUSED]
        answered_since = refused and CallResult.ANSWERED in before[refused[-1] :]
        if refused and not answered_since:
            assert health.state is HealthState.RECONNECT
        else:
            expected = {
                CallResult.ANSWERED: HealthState.OK,
                CallResult.UNREACHABLE: HealthState.UNREACHABLE,
                CallResult.FAILING: HealthState.FAILING,
                CallResult.RATE_LIMITED: HealthState.RATE_LIMITED,
                CallResult.SIGN_IN_REFUSED: HealthState.RECONNECT,
            }[before[-1]]
            assert health.state is expected


@given(results)
def test_since_is_when_the_state_began_and_repeats_keep_it(sequence: list[CallResult]) -> None:
    healths = fold(sequence)
    for n, health in enumerate(healths):
        assert health.since is not None and health.since <= T0 + timedelta(seconds=n)
        if n and healths[n - 1].state is health.state:
            assert health.since == healths[n - 1].since  # retries never reset since-when
        elif n:
            assert health.since == T0 + timedelta(seconds=n)  # a new state starts now
        if health.state is HealthState.OK:
            assert health.reason == "" and not health.is_problem


def test_a_refused_connection_says_unreachable_with_its_reason_and_time() -> None:
    health = next_health(StoreHealth(), CallResult.UNREACHABLE, T0, "connection refused")
    text = describe("Shopify", health, T0)
    assert text.startswith("Shopify cannot be reached since ")
    assert text.endswith(": connection refused")
    assert "not answering properly" not in text


def test_no_network_only_when_every_store_is_unreachable() -> None:
    down = StoreHealth(HealthState.UNREACHABLE, T0, "connection refused")
    assert no_network([down, down])
    assert not no_network([down, StoreHealth()])
    assert not no_network([])
    assert NO_NETWORK.startswith("No network at all")
