"""Every reject reason name the sandbox knows, and which list each belongs to.

Get Reject Reasons (202309) answers ``LISTED``: one flat list, whatever the
request. The current decision endpoints answer a list per decision (see
``decision_reasons``). Plain data, so the request model and the endpoints can
both read it.

Reason names: ``seller_reject_apply_*`` come from TikTok's own examples and
third-party clients; ``reverse_reject_request_reason_N`` and
``reverse_reject_return_parcel_reason_N`` appear in third-party clients only.
# Assumption: the texts are ours (the names' meaning as those clients show it),
# and which reasons go with which decision follows TikTok's seller guide
# "Required Evidence for Rejecting Buyer's Aftersale Requests".
"""

from __future__ import annotations

LISTED = [
    ("seller_reject_apply_product_has_been_packed", "The product has been packed"),
    (
        "seller_reject_apply_you_have_reached_an_agreement_with_the_buyer",
        "You have reached an agreement with the buyer",
    ),
    (
        "seller_reject_apply_package_has_not_exceeded_estimated_delivery_time",
        "The package has not exceeded the estimated delivery time",
    ),
]
AGREED = (
    "seller_reject_apply_you_have_reached_an_agreement_with_the_buyer",
    "You have reached an agreement with the buyer",
)
CANCEL = [("seller_reject_apply_product_has_been_packed", "The product has been packed"), AGREED]
REFUND_ONLY = [
    (
        "seller_reject_apply_need_to_apply_for_refund_and_return",
        "The buyer needs to ask for a return and refund",
    ),
    (
        "seller_reject_apply_buyer's_responsibility_for_incorrect_address",
        "The package was delivered to the address the buyer gave",
    ),
    ("seller_reject_apply_item_is_correct", "The item delivered is the item ordered"),
    AGREED,
]
REQUEST = [
    ("reverse_reject_request_reason_1", "The buyer's reason for the return is not valid"),
    ("reverse_reject_request_reason_2", "This product takes no change-of-mind returns"),
    ("reverse_reject_request_reason_3", "This product is not eligible for return"),
    ("reverse_reject_request_reason_5", "You have reached an agreement with the buyer"),
]
PARCEL = [
    ("reverse_reject_return_parcel_reason_1", "The item sent back is not the item sold"),
    ("reverse_reject_return_parcel_reason_2", "The item sent back cannot be sold again"),
    ("reverse_reject_return_parcel_reason_3", "Items or accessories are missing from the package"),
    ("reverse_reject_return_parcel_reason_4", "The returned package has not arrived"),
    ("reverse_reject_return_parcel_reason_5", "The item sent back is damaged or used"),
]
# Assumption: a partial refund is offered for a package that came back worse than sold.
PARTIAL = [PARCEL[1], PARCEL[2], PARCEL[4]]

KNOWN = {name for group in (LISTED, CANCEL, REFUND_ONLY, REQUEST, PARCEL) for name, _ in group}
