"""Orders and packages as TikTok sends them (Get Order List / Detail, packages).

Every key of TikTok's order sample is present; fields that do not apply to a
US seller-shipped order carry TikTok's empty values ("" / 0 / false).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tiktok_console.sandbox.tiktok.order_book import OrderBook
from tiktok_console.sandbox.tiktok.orders import Order, Package, payment_of
from tiktok_console.sandbox.tiktok.wire import mask_name, mask_phone, money

_IMG = "https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/"


def order(o: Order) -> dict[str, Any]:
    """One order object."""
    return {
        "id": o.id,
        "status": o.status,
        "create_time": o.create_time,
        "update_time": o.update_time,
        "paid_time": o.paid_time,
        "user_id": o.buyer.user_id,
        "buyer_email": o.buyer.email,
        "buyer_message": o.buyer_message,
        "seller_note": "",
        "commerce_platform": "TIKTOK_SHOP",
        "order_type": "NORMAL",
        "cpf": "",
        "is_cod": False,
        "is_on_hold_order": o.status == "ON_HOLD",
        "is_sample_order": o.is_sample,
        "is_replacement_order": False,
        "replaced_order_id": "",
        "is_buyer_request_cancel": o.is_buyer_request_cancel,
        "request_cancel_time": o.request_cancel_time,
        "has_updated_recipient_address": False,
        "need_upload_invoice": "NO_NEED",
        "payment_method_name": "CCDC",
        "fulfillment_type": o.fulfillment_type,
        "shipping_type": o.shipping_type,
        "delivery_type": "HOME_DELIVERY",
        "delivery_option_id": o.option.id,
        "delivery_option_name": o.option.name,
        "warehouse_id": o.warehouse_id,
        "shipping_provider": o.provider_name,
        "shipping_provider_id": o.provider_id,
        "tracking_number": o.tracking_number,
        "handling_duration": {"days": str(o.option.rts_days), "type": "BUSINESS_DAY"},
        "rts_sla_time": o.rts_sla_time,
        "tts_sla_time": o.tts_sla_time,
        "shipping_due_time": o.shipping_due_time,
        "cancel_order_sla_time": o.cancel_order_sla_time,
        "collection_due_time": o.rts_sla_time,
        "delivery_due_time": _delivery_due(o),
        "delivery_sla_time": _delivery_due(o),
        "fast_dispatch_sla_time": o.rts_sla_time,
        "delivery_option_required_delivery_time": _delivery_due(o),
        "pick_up_cut_off_time": o.rts_sla_time,
        "release_date": 0,
        "rts_time": o.rts_time,
        "collection_time": o.collection_time,
        "delivery_time": o.delivery_time,
        "cancel_reason": o.cancel_reason,
        "cancellation_initiator": o.cancellation_initiator,
        "cancel_time": o.cancel_time,
        "split_or_combine_tag": "SPLIT" if len(o.packages) > 1 else "",
        "packages": [{"id": p} for p in o.packages],
        "payment": _payment(o),
        "recipient_address": _address(o),
        "line_items": [_line(o, li) for li in o.line_items],
    }


def _payment(o: Order) -> dict[str, str]:
    p = payment_of(o)
    zero = money(p.tax - p.tax)
    return {
        "currency": o.currency,
        "sub_total": money(p.sub_total),
        "shipping_fee": money(p.shipping_fee),
        "seller_discount": money(p.seller_discount),
        "platform_discount": money(p.platform_discount),
        "total_amount": money(p.total_amount),
        "original_total_product_price": money(p.original_total_product_price),
        "original_shipping_fee": money(p.original_shipping_fee),
        "shipping_fee_seller_discount": money(p.shipping_fee_seller_discount),
        "shipping_fee_platform_discount": money(p.shipping_fee_platform_discount),
        "shipping_fee_cofunded_discount": zero,
        "tax": money(p.tax),
        "product_tax": money(p.product_tax),
        "shipping_fee_tax": money(p.shipping_fee_tax),
        "retail_delivery_fee": zero,
        "buyer_service_fee": zero,
        "handling_fee": zero,
        "item_insurance_fee": zero,
        "shipping_insurance_fee": zero,
        "small_order_fee": zero,
    }


def _address(o: Order) -> dict[str, Any]:
    b = o.buyer
    number, _, street = b.street.partition(" ")
    masked_street = f"{number[:1]}*** {street}"
    return {
        "name": mask_name(f"{b.first_name} {b.last_name}"),
        "first_name": mask_name(b.first_name),
        "last_name": mask_name(b.last_name),
        "phone_number": mask_phone(b.phone),
        "full_address": f"{masked_street}, {b.city}, {b.state} {b.postal_code}",
        "address_line1": masked_street,
        "address_line2": "",
        "address_line3": "",
        "address_line4": "",
        "address_detail": "",
        "postal_code": b.postal_code,
        "region_code": "US",
        "delivery_preferences": {"drop_off_location": ""},
        "district_info": [
            {
                "address_level": "L0",
                "address_level_name": "Country",
                "address_name": "United States",
            },
            {"address_level": "L1", "address_level_name": "State", "address_name": b.state},
            {"address_level": "L3", "address_level_name": "City", "address_name": b.city},
        ],
    }


def _line(o: Order, li: Any) -> dict[str, Any]:
    zero = money(li.tax - li.tax)
    return {
        "id": li.id,
        "sku_id": li.sku_id,
        "product_id": li.product_id,
        "seller_sku": li.seller_sku,
        "product_name": li.product_name,
        "sku_name": li.sku_name,
        "sku_image": f"{_IMG}{li.sku_id}",
        "sku_type": "NORMAL",
        "currency": o.currency,
        "original_price": money(li.original_price),
        "sale_price": money(li.sale_price),
        "seller_discount": money(li.seller_discount),
        "platform_discount": money(li.platform_discount),
        "display_status": li.display_status,
        "is_gift": li.is_gift,
        "package_id": li.package_id,
        "package_status": li.package_status,
        "tracking_number": li.tracking_number,
        "shipping_provider_id": li.provider_id,
        "shipping_provider_name": li.provider_name,
        "rts_time": o.rts_time,
        "cancel_reason": li.cancel_reason,
        "cancel_user": li.cancel_user,
        "item_tax": [
            {"tax_type": "SALES_TAX", "tax_amount": money(li.tax), "tax_rate": str(li.tax_rate)}
        ],
        "combined_listing_skus": [],
        "handling_duration_days": str(o.option.rts_days),
        "retail_delivery_fee": zero,
        "buyer_service_fee": zero,
        "small_order_fee": zero,
    }


def _delivery_due(o: Order) -> int:
    return o.rts_sla_time + 7 * 86400 if o.rts_sla_time else 0


def package_entry(book: OrderBook, p: Package) -> dict[str, Any]:
    """One ``data.packages[]`` entry of Search Package."""
    return {
        "id": p.id,
        "status": p.status,
        "create_time": p.create_time,
        "update_time": p.update_time,
        "order_line_item_ids": list(p.line_item_ids),
        "orders": [_package_order(book, p)],
        "shipping_provider_id": p.provider_id,
        "shipping_provider_name": p.provider_name,
        "tracking_number": p.tracking_number,
    }


def package_detail(book: OrderBook, p: Package, sender: dict[str, Any]) -> dict[str, Any]:
    """The ``data`` of Get Package Detail."""
    o = book.orders[p.order_id]
    address = _address(o)
    keep = (
        "name",
        "phone_number",
        "full_address",
        "address_line1",
        "address_line2",
        "address_line3",
        "address_line4",
        "address_detail",
        "postal_code",
        "region_code",
    )
    return {
        "package_id": p.id,
        "package_status": p.status,
        "create_time": p.create_time,
        "update_time": p.update_time,
        "order_line_item_ids": list(p.line_item_ids),
        "orders": [_package_order(book, p)],
        "shipping_type": o.shipping_type,
        "shipping_provider_id": p.provider_id,
        "shipping_provider_name": p.provider_name,
        "tracking_number": p.tracking_number,
        "delivery_option_id": o.option.id,
        "delivery_option_name": o.option.name,
        "handover_method": "DROP_OFF",
        "has_multi_skus": len({li.sku_id for li in o.line_items}) > 1,
        "note_tag": "BUYER_NOTED" if o.buyer_message else "BUYER_UNNOTED",
        "split_and_combine_tag": "SPLIT" if len(o.packages) > 1 else "",
        "pickup_slot": {"start_time": 0, "end_time": 0},
        "dimension": {"height": "4", "length": "10", "unit": "INCH", "width": "8"},
        "weight": {"unit": "GRAM", "value": "500"},
        "recipient_address": {k: address[k] for k in keep},
        "sender_address": sender,
    }


def _package_order(book: OrderBook, p: Package) -> dict[str, Any]:
    o = book.orders[p.order_id]
    lines = [o.line(i) for i in p.line_item_ids]
    counts = Counter(li.sku_id for li in lines if li is not None)
    names = {li.sku_id: li.sku_name for li in o.line_items}
    return {
        "id": o.id,
        "skus": [
            {"id": sku_id, "name": names[sku_id], "quantity": n, "image_url": f"{_IMG}{sku_id}"}
            for sku_id, n in counts.items()
        ],
    }
