"""The pacing limiter: never more than the rate (plus the burst), and no needless waits."""

from __future__ import annotations

import asyncio

from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.stores.pacing import PacedLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@given(
    rate=st.floats(1, 200),
    burst=st.integers(1, 50),
    gaps=st.lists(st.floats(0, 0.2), min_size=1, max_size=200),
)
def test_calls_never_exceed_the_rate_plus_the_burst(
    rate: float, burst: int, gaps: list[float]
) -> None:
    clock = Clock()
    limiter = PacedLimiter(rate, burst=burst, clock=clock)
    sent: list[float] = []
    for gap in gaps:
        clock.now += gap  # the caller arrives...
        sent.append(clock.now + limiter.delay())  # ...and goes when told
    sent.sort()
    for i, start in enumerate(sent):
        # Any window of length T holds at most burst + rate * T calls.
        for j in range(i, len(sent)):
            window = sent[j] - start
            assert j - i + 1 <= burst + rate * window + 1e-6


@given(rate=st.floats(1, 200), burst=st.integers(1, 50), calls=st.integers(1, 300))
def test_a_queue_goes_at_the_full_rate(rate: float, burst: int, calls: int) -> None:
    clock = Clock()
    limiter = PacedLimiter(rate, burst=burst, clock=clock)
    last = max(limiter.delay() for _ in range(calls))  # all arrive at once
    # The first ``burst`` go at once, then one every 1/rate: none waits longer.
    assert abs(last - max(calls - burst, 0) / rate) < 1e-6


async def test_acquire_sleeps_once_until_its_moment() -> None:
    limiter = PacedLimiter(100, burst=2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(*(limiter.acquire() for _ in range(12)))
    assert loop.time() - started >= 0.1 - 0.005  # 10 paced calls at 100/s
    # Measured on the running loop: allow a scheduler's jitter over ten sleeps.
    assert abs(limiter.waited - sum((k - 1) / 100 for k in range(2, 12))) < 2e-2


async def test_calls_overdue_after_a_stall_do_not_go_as_one_bunch() -> None:
    import time

    limiter = PacedLimiter(100, burst=5)
    sent: list[float] = []

    async def call() -> None:
        await limiter.acquire()
        sent.append(time.monotonic())

    calls = [asyncio.ensure_future(call()) for _ in range(60)]
    await asyncio.sleep(0.05)
    time.sleep(0.3)  # noqa: ASYNC251 (the process stalls: 30 booked moments pass)
    await asyncio.gather(*calls)
    sent.sort()
    for i, start in enumerate(sent):  # any window of T holds <= burst + rate * T (+1 jitter)
        for j in range(i, len(sent)):
            assert j - i + 1 <= 5 + 100 * (sent[j] - start) + 1
