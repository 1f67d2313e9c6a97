"""After-sales as a user runs it headless: `sync --job aftersales`, `deadlines --json`, and
`returns` approve|reject changing the request on TikTok.

The sandbox and each command run in their own processes, the sign-in in the OS keyring
(a Secret Service, as ``.ci/run`` sets up); the sandbox's clock runs in real time, since
TikTok refuses requests whose timestamp is off its clock.
"""

from __future__ import annotations

import json
import struct
import subprocess
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.sandbox.sandbox_process import SandboxProcess
from tests.sync.headless_sync import cli, connected_profile, env, needs_secret_service, world

pytestmark = needs_secret_service

REJECTED = {"REFUND_OR_RETURN_REQUEST_REJECT", "REJECT_RECEIVE_PACKAGE"}
AWAITING = {"cancel": "cancellation_response", "return": "return_response"}


def _run(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(profile, *args), capture_output=True, text=True, timeout=300, env=env()
    )


def _image(path: Path, width: int, height: int) -> Path:
    """A PNG file of that size (its header: all TikTok reads of it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    return path


def _requests(control: str) -> dict[str, dict[str, Any]]:
    state = world(control)
    return {r["id"]: r for r in state["tiktok"]["returns"]}


def test_decisions_from_the_command_line_change_the_request_on_tiktok(tmp_path: Path) -> None:
    sandbox = SandboxProcess(
        "--print-json", "--seed", "5", "--products", "15", "--orders", "3000",
        "--orders-per-minute", "0", "--shopify-plan", "plus",
    )  # fmt: skip
    try:
        line = sandbox.first_line()
        control = json.loads(line)["control_url"]
        profile = connected_profile(tmp_path, line, {})
        synced = _run(profile, "sync", "--once", "--job", "aftersales")
        assert synced.returncode == 0, synced.stdout + synced.stderr

        # Every request awaiting the seller is in `deadlines --json` with TikTok's deadline.
        listed = _run(profile, "deadlines", "--json")
        assert listed.returncode == 0, listed.stderr
        printed = {i["request_id"]: i for i in map(json.loads, listed.stdout.splitlines())}
        waiting = {i: r for i, r in _requests(control).items() if r["deadline"]}
        # Buyers ask to cancel within hours of ordering, so the history has no pending one:
        # cancellations are decided in tests/sync/test_aftersales_job.py, on a moving clock.
        assert "return" in {r["kind"] for r in waiting.values()}
        for request_id, request in waiting.items():
            item = printed[request_id]
            assert item["kind"] in (AWAITING[request["kind"]], "receive_package")
            assert item["deadline"] == datetime.fromtimestamp(request["deadline"], UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )

        returns = [i for i, r in waiting.items() if r["kind"] == "return"]

        # A rejection without a reason lists TikTok's reasons and changes nothing.
        asked = _run(profile, "returns", "reject", returns[0])
        assert asked.returncode == 1 and "--reason CODE" in asked.stdout
        assert len(asked.stdout.splitlines()) > 1  # the reasons TikTok offers for it now
        assert _requests(control)[returns[0]]["deadline"] == waiting[returns[0]]["deadline"]

        approved = _run(profile, "returns", "approve", returns[0])
        assert approved.returncode == 0, approved.stdout + approved.stderr
        assert "refund" in approved.stdout.lower()  # says what it does first
        after = _requests(control)[returns[0]]
        assert after["status"] != waiting[returns[0]]["status"]
        assert after["status"] != "REFUND_OR_RETURN_REQUEST_REJECT"

        # Reject Return 202606 takes a reason Get Decision Eligibility offers for it now.
        offered = _run(profile, "returns", "reject", returns[1])
        reason = offered.stdout.splitlines()[1].split()[0]
        note = ["--note", "Photos show the item used"]
        # Evidence: up to six JPEG, PNG or WEBP images, checked before anything is sent.
        photos = [_image(tmp_path / f"photo{n}.png", 640 + n, 480) for n in range(7)]
        evidence = [arg for photo in photos for arg in ("--evidence", str(photo))]
        too_many = _run(profile, "returns", "reject", returns[1], "--reason", reason, *evidence)
        assert too_many.returncode == 1 and "at most 6 images" in too_many.stdout
        (tmp_path / "notes.txt").write_text("not an image")
        wrong = ["--evidence", str(photos[0]), "--evidence", str(tmp_path / "notes.txt")]
        refused = _run(profile, "returns", "reject", returns[1], "--reason", reason, *wrong)
        assert refused.returncode == 1 and "notes.txt is not an image" in refused.stdout
        assert _requests(control)[returns[1]]["status"] == waiting[returns[1]]["status"]

        rejected = _run(profile, "returns", "reject", returns[1], "--reason", reason, *note,
                        *evidence[:4])  # fmt: skip
        assert rejected.returncode == 0, rejected.stdout + rejected.stderr
        # A request is refused; a returned parcel awaiting confirmation is refused as received.
        assert _requests(control)[returns[1]]["status"] in REJECTED
        # TikTok holds the two images the rejection showed (the uploads it issued).
        assert _requests(control)[returns[1]]["evidence"] == [[640, 480], [641, 480]]

        # The same decision again is applied once (the same idempotency key): nothing moves.
        again = _run(profile, "returns", "approve", returns[0])
        assert again.returncode == 0, again.stdout + again.stderr
        assert _requests(control)[returns[0]] == after
    finally:
        sandbox.kill()
