"""``tiktok-console sandbox``: argument parsing, and a real process serving until signalled."""

from __future__ import annotations

import argparse
import json
import signal
from collections.abc import Iterator

import httpx
import pytest

from tests.sandbox.sandbox_process import SandboxProcess
from tiktok_console.sandbox.cli import add_sandbox_arguments, main, options_from_args
from tiktok_console.sandbox.world import WorldOptions

INFO_KEYS = {"shopify", "tiktok", "control_url"}


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_sandbox_arguments(parser)
    return parser.parse_args(argv)


def test_defaults_are_the_default_world() -> None:
    assert options_from_args(_parse()) == WorldOptions()


def test_every_flag_reaches_the_world_options() -> None:
    args = _parse(
        "--seed", "3", "--products", "12", "--orders", "30", "--orders-per-minute", "6.5",
        "--livestream", "--fault-rate", "0.1", "--shopify-plan", "plus", "--dev-store",
        "--hold-minutes", "1.5", "--clock-start", "1760000000", "--print-json",
    )  # fmt: skip
    options = options_from_args(args)
    assert (options.seed, options.products, options.orders) == (3, 12, 30)
    assert (options.orders_per_minute, options.fault_rate) == (6.5, 0.1)
    assert options.livestream and options.dev_store and args.print_json
    assert options.shopify_plan == "plus"
    assert (options.hold_minutes, options.clock_start) == (1.5, 1_760_000_000)


def test_the_merchant_world_flags_reach_the_world_options() -> None:
    flags = ["--seller-center-ship-share", "0.25", "--finance-discrepancies", "4"]
    options = options_from_args(_parse(*flags, "--settle-days", "3"))
    assert options.seller_center_ship_share == 0.25
    assert (options.finance_discrepancies, options.settle_days) == (4, 3)


def test_faults_per_store_take_the_control_apps_shape() -> None:
    per_store = options_from_args(_parse("--faults", '{"tiktok": {"error_rate": 1, "drop": 1}}'))
    assert per_store.faults.tiktok is not None and per_store.faults.tiktok.drop == 1
    assert per_store.faults.shopify is None
    flat = options_from_args(_parse("--faults", '{"latency_ms": 40}'))
    assert flat.faults.shopify == flat.faults.tiktok and flat.faults.tiktok is not None
    assert flat.faults.tiktok.latency_ms == 40


@pytest.mark.parametrize(
    ("knobs", "fragment"),
    [('{"tiktok": {"drop": -1}}', "tiktok.drop"), ('{"eror_rate": 1}', "tiktok.eror_rate")],
)
def test_bad_fault_knobs_are_refused_before_serving(
    capsys: pytest.CaptureFixture[str], knobs: str, fragment: str
) -> None:
    assert main(["--faults", knobs]) == 2
    assert f"--faults.{fragment}" in capsys.readouterr().err


def test_faults_that_are_not_a_json_object_are_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for knobs in ("{error_rate: 1}", "[0.5]"):
        with pytest.raises(SystemExit) as exit_info:
            _parse("--faults", knobs)
        assert exit_info.value.code == 2
    assert "--faults" in capsys.readouterr().err


def test_an_unknown_plan_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _parse("--shopify-plan", "platinum")
    assert exit_info.value.code == 2
    assert "platinum" in capsys.readouterr().err


def test_an_out_of_range_fault_rate_is_refused_before_serving(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--fault-rate", "1.5"]) == 2
    assert "--fault-rate" in capsys.readouterr().err


def test_the_catalog_to_push_and_the_daily_cap_are_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    defaults = options_from_args(_parse())
    assert (defaults.unlisted_share, defaults.daily_listing_cap) == (0.3, 100)
    options = options_from_args(_parse("--unlisted-share", "0.5", "--daily-listing-cap", "7"))
    assert (options.unlisted_share, options.daily_listing_cap) == (0.5, 7)
    assert main(["--unlisted-share", "1.2"]) == 2
    assert "--unlisted-share" in capsys.readouterr().err


@pytest.fixture
def sandbox_json() -> Iterator[SandboxProcess]:
    process = SandboxProcess("--print-json", "--seed", "5", "--products", "8")
    try:
        yield process
    finally:
        process.kill()


def test_print_json_puts_the_info_on_the_first_line_and_sigterm_stops_cleanly(
    sandbox_json: SandboxProcess,
) -> None:
    info = json.loads(sandbox_json.first_line())
    assert set(info) == INFO_KEYS
    assert info["shopify"]["api_version"] == "2026-10"
    assert httpx.get(info["control_url"] + "/state", timeout=10).status_code == 200
    consent = info["tiktok"]["authorize_url"] + "&redirect_uri=http://127.0.0.1:9/cb"
    assert httpx.get(consent, timeout=10).status_code == 200
    assert sandbox_json.stop(signal.SIGTERM) == 0
    assert sandbox_json.proc.stderr is not None
    assert "Traceback" not in sandbox_json.proc.stderr.read()
    with pytest.raises(httpx.ConnectError):
        httpx.get(info["control_url"] + "/state", timeout=2)


def test_without_json_it_prints_a_summary_and_sigint_stops_cleanly() -> None:
    process = SandboxProcess("--seed", "5", "--products", "8")
    try:
        line = process.first_line()
        assert line.startswith("Sandbox running (seed 5, 8 products)")
        assert process.stop(signal.SIGINT) == 0
        assert process.proc.stdout is not None
        rest = process.proc.stdout.read()
        assert "client_id" in rest and "app_key" in rest and "/state" in rest
    finally:
        process.kill()
