"""Reject Return 202606 with evidence, over HTTP as an outside client.

The seller uploads images (Upload Product Image: the one image upload the docs
name) and rejects a return naming them by ``image_id`` with a comment; TikTok
takes at most six images, only ones it issued, and shows them on the rejection
in Get Return Records. Uploads keep their own checks: format and size.
"""

from __future__ import annotations

from typing import Any

from .conftest import World
from .listing_client import jpeg, png, upload
from .test_decision_eligibility import FOR_ACTION, _action, _awaiting, _decisions

REJECTED = {"REFUND_OR_RETURN_REQUEST_REJECT", "REPLACEMENT_REQUEST_REJECT",
            "REJECT_RECEIVE_PACKAGE"}  # fmt: skip


def _evidence(world: World, data: bytes) -> dict[str, Any]:
    body = upload(world, data, "DESCRIPTION_IMAGE")
    assert body["code"] == 0, body
    image = body["data"]
    return {"image_id": image["uri"], "mime_type": "image/png",
            "height": image["height"], "width": image["width"]}  # fmt: skip


def test_a_rejection_carries_up_to_six_uploaded_images(world: World) -> None:
    target = _awaiting(world)[0]
    rid = target["return_id"]
    reject = next(d for d in FOR_ACTION[_action(target)] if d.startswith("REJECT_"))
    (verdict,) = _decisions(world, rid, reject)
    reason = verdict["available_reject_reasons"][0]["name"]
    path = f"/return_refund/202606/returns/{rid}/reject"
    images = [_evidence(world, png(640, 480)), _evidence(world, jpeg(200, 100))]

    def send(key: str, shown: list[dict[str, Any]]) -> dict[str, Any]:
        body = {"decision": reject, "reject_reason": reason, "comment": "Worn", "images": shown}
        answer: dict[str, Any] = world.call(
            "POST", path, query={"idempotency_key": key}, body=body
        ).json()
        return answer

    too_many = send("seven", images * 3 + images[:1])
    assert too_many["code"] == 25001001 and "6" in too_many["message"]
    unknown = send("unknown", [{"image_id": "tos-maliva-i-o3syd03w52-us/never"}])
    assert unknown["code"] == 25001001 and "image_id" in unknown["message"]
    assert send("ok", images)["code"] == 0

    records = world.ok("GET", f"/return_refund/202309/returns/{rid}/records")["records"]
    rejection = next(r for r in records if r["role"] == "SELLER" and r["event"] in REJECTED)
    assert rejection["note"] == "Worn"
    assert [(i["width"], i["height"]) for i in rejection["images"]] == [(640, 480), (200, 100)]
    assert all(i["url"].startswith("https://") for i in rejection["images"])


def test_uploads_refuse_other_formats_and_oversized_files(world: World) -> None:
    assert upload(world, b"GIF89a" + b"\x00" * 20, "DESCRIPTION_IMAGE")["code"] == 12052304
    big = png(640, 480) + b"\x00" * (5 * 1024 * 1024)
    assert upload(world, big, "DESCRIPTION_IMAGE")["code"] == 12052302
