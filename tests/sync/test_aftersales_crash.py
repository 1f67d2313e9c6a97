"""kill -9 of a headless `sync` while it mirrors refunds to Shopify: none twice, none missing.

Same set-up as the orders crash test (sandbox and sync in their own processes, the
sign-in in the OS keyring). The sandbox's clock must run in real time (TikTok refuses
requests off its clock) so its buyers cannot be made to return goods days later:
the refunds are planted as completed TikTok refund-only returns of the orders the
sync put in Shopify, and the real after-sales job (pull, then mirror) runs over them.
The evidence is Shopify's own count of refunds per order.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from tests.sandbox.sandbox_process import SandboxProcess
from tests.sync.headless_sync import (
    cli,
    connected_profile,
    env,
    kill_repeatedly,
    needs_secret_service,
    sync_once,
    world,
)
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.domain.aftersales import RefundAmount, RequestLine, ReturnType, ReturnView
from tiktok_console.domain.money import Money
from tiktok_console.profile import open_profile
from tiktok_console.storage.aftersales.requests import store_returns
from tiktok_console.storage.tables import TikTokOrderRow

pytestmark = needs_secret_service


def _plant_refunds(profile: Path) -> dict[str, str]:
    """A completed refund-only return per order in Shopify; returns Shopify order -> return."""
    opened = open_profile(AppPaths.for_profile(profile), SecretRedactor())
    try:
        planted, made = [], {}
        rows = TikTokOrderRow.select().where(TikTokOrderRow.shopify_order_id != "")
        for n, row in enumerate(rows):
            items = json.loads(row.payload)["line_items"]
            lines = tuple(
                RequestLine(item["id"], item["sku_id"],
                            refund=RefundAmount.only_total(Money.parse(item["sale_price"], "USD")))
                for item in items
            )  # fmt: skip
            total = sum((line.refund.total for line in lines if line.refund), Money.zero("USD"))
            now = datetime.now(UTC)
            return_id = f"49{n:016d}"
            view = ReturnView(
                order_id=row.order_id, status="RETURN_OR_REFUND_REQUEST_COMPLETE", role="BUYER",
                reason_text="Changed mind", created_at=now, updated_at=now, next_actions=(),
                lines=lines, refund=RefundAmount.only_total(total), return_id=return_id,
                return_type=ReturnType.REFUND, can_buyer_keep_item=True,
            )  # fmt: skip
            planted.append((view, "{}"))
            made[row.shopify_order_id] = return_id
        store_returns(planted, datetime.now(UTC))
        return made
    finally:
        opened.close()


def test_kill_9_while_mirroring_refunds_makes_no_second_refund(tmp_path: Path) -> None:
    sandbox = SandboxProcess(
        "--print-json", "--seed", "5", "--products", "15", "--orders", "3000",
        "--orders-per-minute", "0", "--shopify-plan", "plus", "--unlisted-share", "0",
    )  # fmt: skip
    try:
        line = sandbox.first_line()
        control = json.loads(line)["control_url"]
        settings = {"orders": {"search_lag_seconds": 3, "poll_seconds": 1}}
        profile = connected_profile(tmp_path, line, settings)
        once = subprocess.run(
            cli(profile, "sync", "--once", "--job", "shopify_variants", "--job", "orders"),
            capture_output=True, text=True, timeout=600, env=env(),
        )  # fmt: skip
        assert once.returncode == 0, once.stdout + once.stderr
        planted = _plant_refunds(profile)
        assert len(planted) >= 3, "the world should have put orders in Shopify"

        kill_repeatedly(profile, 12, seed=16, after=(0.4, 2.5))
        sync_once(profile)

        refunds = {o["id"]: o["refunds"] for o in world(control)["shopify"]["orders"]}
        counts = {order_id: refunds.get(order_id) for order_id in planted}
        assert {order_id: n for order_id, n in counts.items() if n != 1} == {}
    finally:
        sandbox.kill()
