"""Get Decision Eligibility (202601), Get Review Decision (202606) and the reasons Reject
Return 202606 takes, over HTTP as an outside client.

A seller asks which decisions a return allows now and the reasons a rejection may give;
the reasons depend on what TikTok waits for, and the current Reject Return refuses any
other reason (the listed Get Reject Reasons list included).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import World

SEARCH = "/return_refund/202602/returns/search"
ELIGIBILITY = "/return_refund/202601/decision_eligibility"
REVIEW = "/return_refund/202606/review_decision"
RETURN_DECISIONS = {
    "APPROVE_REFUND", "APPROVE_RETURN", "APPROVE_RECEIVED_PACKAGE", "APPROVE_REPLACEMENT",
    "ISSUE_REPLACEMENT_REFUND", "DIRECT_REFUND",
    "REJECT_REFUND", "REJECT_RETURN", "REJECT_RECEIVED_PACKAGE", "REJECT_REPLACEMENT",
}  # fmt: skip
ALL_DECISIONS = sorted(RETURN_DECISIONS | {"APPROVE_REQUEST_CANCEL", "REJECT_REQUEST_CANCEL"})
FOR_ACTION = {
    "SELLER_RESPOND_REFUND": {"APPROVE_REFUND", "REJECT_REFUND"},
    "SELLER_RESPOND_RETURN": {"APPROVE_RETURN", "REJECT_RETURN"},
    "SELLER_RESPOND_RECEIVE_PACKAGE": {"APPROVE_RECEIVED_PACKAGE", "REJECT_RECEIVED_PACKAGE"},
    "SELLER_RESPOND_REPLACEMENT": {"APPROVE_REPLACEMENT", "REJECT_REPLACEMENT"},
}
LISTED_REASON = "seller_reject_apply_product_has_been_packed"  # Get Reject Reasons 202309


def _returns(world: World, body: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = ""
    while True:
        query = {"page_size": "50"} | ({"page_token": token} if token else {})
        data = world.ok("POST", SEARCH, query=query, body=body or {})
        items += data["return_orders"]
        token = data["next_page_token"]
        if not token:
            return items


def _awaiting(world: World) -> list[dict[str, Any]]:
    world.shop.set_order_rate(0)
    for _ in range(30):
        found = [r for r in _returns(world) if r["seller_next_action_response"]]
        if found:
            return found
        world.advance(6 * 3600)
    raise AssertionError("no return awaits the seller")


def _decisions(world: World, request_id: str, asked: str = "") -> list[dict[str, Any]]:
    query = {"return_or_cancel_id": request_id} | ({"check_decisions": asked} if asked else {})
    decisions: list[dict[str, Any]] = world.ok("GET", ELIGIBILITY, query=query)["decisions"]
    return decisions


def _action(r: dict[str, Any]) -> str:
    action: str = r["seller_next_action_response"][0]["action"]
    return action


def test_eligibility_follows_what_each_return_waits_for(world: World) -> None:
    _awaiting(world)
    reasons_by_action: dict[str, set[str]] = {}
    for r in _returns(world):
        decisions = _decisions(world, r["return_id"])
        assert {d["decision"] for d in decisions} == RETURN_DECISIONS  # one result each
        eligible = {d["decision"] for d in decisions if d["eligible"]}
        awaited = FOR_ACTION.get(_action(r), set()) if r["seller_next_action_response"] else set()
        if r["arbitration_status"] == "IN_PROGRESS":
            awaited = set()
        assert eligible == awaited, r["return_id"]
        for d in decisions:
            if not d["eligible"]:
                assert d["ineligible_code"] and d["ineligible_reason"]
                assert d["available_reject_reasons"] == []
            elif d["decision"].startswith("REJECT_"):
                names = {x["name"] for x in d["available_reject_reasons"]}
                assert names and all(x["text"] for x in d["available_reject_reasons"])
                reasons_by_action.setdefault(_action(r), names)
                assert reasons_by_action[_action(r)] == names  # the same for the same stage
        if not awaited and r["arbitration_status"] != "IN_PROGRESS":
            reject = next(d for d in decisions if d["decision"] == "REJECT_REFUND")
            assert reject["ineligible_code"] == 25011011
    assert reasons_by_action, "no return awaited the seller"
    # The listed (202309) cancellation reason is no reason to reject a return now.
    assert all(LISTED_REASON not in names for names in reasons_by_action.values())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(asked=st.lists(st.sampled_from(ALL_DECISIONS), min_size=1, max_size=6))
def test_check_decisions_answers_exactly_what_was_asked(world: World, asked: list[str]) -> None:
    target = _awaiting(world)[0]
    decisions = _decisions(world, target["return_id"], ",".join(asked))
    assert [d["decision"] for d in decisions] == list(dict.fromkeys(asked))
    awaited = FOR_ACTION[_action(target)]
    for d in decisions:
        assert d["eligible"] == (d["decision"] in awaited)
        if d["decision"].endswith("_REQUEST_CANCEL"):  # a cancellation's decision on a return
            assert d["ineligible_code"] == 25020004


def test_current_reject_takes_only_a_reason_eligibility_offers(world: World) -> None:
    target = _awaiting(world)[0]
    rid, action = target["return_id"], _action(target)
    reject = next(iter(d for d in FOR_ACTION[action] if d.startswith("REJECT_")))
    (verdict,) = _decisions(world, rid, reject)
    offered = [x["name"] for x in verdict["available_reject_reasons"]]
    path = f"/return_refund/202606/returns/{rid}/reject"

    def send(key: str, reason: str) -> dict[str, Any]:
        body = {"decision": reject, "reject_reason": reason}
        answer: dict[str, Any] = world.call(
            "POST", path, query={"idempotency_key": key}, body=body
        ).json()
        return answer

    listed = send("old", LISTED_REASON)
    assert listed["code"] == 25001016
    assert listed["message"] == "reverse reason not match action type"  # as documented
    assert send("junk", "no_such_reason")["code"] == 25001014
    assert send("new", offered[0])["code"] == 0
    after = _returns(world, {"return_ids": [rid]})[0]
    assert after["return_status"] in (
        "REFUND_OR_RETURN_REQUEST_REJECT", "REPLACEMENT_REQUEST_REJECT", "REJECT_RECEIVE_PACKAGE"
    )  # fmt: skip
    # Decided: nothing is eligible any more, and the decision says why.
    (closed,) = _decisions(world, rid, reject)
    assert not closed["eligible"] and closed["ineligible_code"] in (25011011, 25011010)


def test_refusals_unknown_ids_and_versions(world: World) -> None:
    rid = _awaiting(world)[0]["return_id"]

    def code(path: str, query: dict[str, str], **kwargs: Any) -> int:
        value: int = world.call("GET", path, query=query, **kwargs).json()["code"]
        return value

    assert code(ELIGIBILITY, {"return_or_cancel_id": "4035000000000000000"}) == 25007006
    assert code(ELIGIBILITY, {}) == 25001001
    assert code(ELIGIBILITY, {"return_or_cancel_id": rid, "check_decisions": "NOPE"}) == 25001001
    assert code(ELIGIBILITY, {"return_or_cancel_id": rid, "locale": "xx-XX"}) == 25001001
    assert code(ELIGIBILITY, {"return_or_cancel_id": rid}, sign="0" * 64) == 106001
    assert code(ELIGIBILITY, {"return_or_cancel_id": rid}, cipher=False) != 0
    assert code("/return_refund/202602/decision_eligibility", {}) == 36009014
    assert code("/return_refund/202601/review_decision", {}) == 36009014
    shop = world.shop.shop_id
    assert code(REVIEW, {"return_or_cancel_id": rid}) == 25001001  # seller_id is required
    assert code(REVIEW, {"return_or_cancel_id": rid, "seller_id": "1"}) == 25020005
    assert code(REVIEW, {"return_or_cancel_id": "4035000000000000000", "seller_id": shop}) == (
        25007006
    )


def test_review_decision_lists_every_line_with_the_same_verdicts(world: World) -> None:
    target = _awaiting(world)[0]
    query = {"return_or_cancel_id": target["return_id"], "seller_id": world.shop.shop_id}
    data = world.ok("GET", REVIEW, query=query)
    lines = data["line_items"]
    assert [li["return_line_item_id"] for li in lines] == [
        li["return_line_item_id"] for li in target["return_line_items"]
    ]
    flat = {d["decision"]: d for d in _decisions(world, target["return_id"])}
    for line in lines:
        by_name = {d["decision"]: d for d in line["decisions"]}
        assert set(by_name) == RETURN_DECISIONS | {
            "ISSUE_EXCHANGE_REFUND",
            "OFFER_PARTIAL_REFUND_AFTER_RECEIVING_PKG",
        }
        for name, verdict in flat.items():
            assert by_name[name] == verdict
    assert data["errors"] == []


def test_a_cancellation_is_judged_on_its_own_two_decisions(busy: World) -> None:
    busy.advance(2 * 3600)
    busy.shop.set_order_rate(0)
    busy.advance(12 * 3600)
    body = {"cancel_status": ["CANCELLATION_REQUEST_PENDING"]}
    data = busy.ok(
        "POST", "/return_refund/202602/cancellations/search",
        query={"page_size": "50"}, body=body,
    )  # fmt: skip
    cancel_id = data["cancellations"][0]["cancel_id"]
    decisions = _decisions(busy, cancel_id)
    assert {d["decision"]: d["eligible"] for d in decisions} == {
        "APPROVE_REQUEST_CANCEL": True,
        "REJECT_REQUEST_CANCEL": True,
    }
    reject = next(d for d in decisions if d["decision"] == "REJECT_REQUEST_CANCEL")
    assert LISTED_REASON in {x["name"] for x in reject["available_reject_reasons"]}
    (on_return,) = _decisions(busy, cancel_id, "REJECT_RETURN")
    assert not on_return["eligible"] and on_return["ineligible_code"] == 25020004
    busy.advance(48 * 3600 + 1)  # TikTok approves it for the seller
    assert not any(d["eligible"] for d in _decisions(busy, cancel_id))
