"""The sandbox's control panel over HTTP: inspect the world, move time, break things.

Tests and demo mode steer a running sandbox from outside its thread (or from
another process) through these endpoints rather than by reaching into
objects, so every steering action is also available to a person with curl.
This app is never wrapped in fault injection.

Endpoints:
    GET  /state                      world snapshot
    POST /clock/advance?seconds=N    advance the clock (at most 60 days), tick, return the new time
    GET|POST|DELETE /faults          read, change (partial) or reset the fault knobs
    POST /livestream?on=true|false   TikTok livestream burst
    POST /orders/rate?per_minute=R   TikTok's mean order arrival rate from now (0 stops)
    POST /tiktok/orders/ship?order_id=ID  ship a seller-fulfilled order in "Seller Center"
    GET|POST /limits                 TikTok qps and Shopify plan
    POST /tiktok/products/promotion?product_id=ID&on=true|false
                                     a TikTok promotion on a listing (prices locked)
    GET  /bank/statement.csv         the seller's bank: each payout booked a day after it was paid
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tiktok_console.sandbox.faults import StoreFaults
from tiktok_console.sandbox.world import ShopifyPlan, World

# One request may move the clock at most 60 days: enough for any after-sales window,
# settlement and payout, while one tick (every order of those days) stays bounded.
MAX_ADVANCE_SECONDS = 60 * 86400
MAX_ORDERS_PER_MINUTE = 10_000  # as the world's own option allows

M = TypeVar("M", bound=BaseModel)


class LimitsUpdate(BaseModel):
    """New live rate limits; absent fields keep their value."""

    model_config = ConfigDict(extra="forbid")

    tiktok_qps: Annotated[float, Field(gt=0, le=100_000)] | None = None
    shopify_plan: ShopifyPlan | None = None


class BadRequest(Exception):
    """A request the control app refuses with 422 and a clear message."""

    def __init__(self, message: str, detail: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or []


def create_control_app(world: World) -> Starlette:
    """The control app for ``world``."""

    async def state(request: Request) -> Response:
        return JSONResponse(world.snapshot())

    async def advance(request: Request) -> Response:
        seconds = _seconds(request.query_params.get("seconds"))
        world.advance(seconds)
        return JSONResponse(world.clock_state())

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            for config in world.faults.values():
                config.reset()
        elif request.method == "POST":
            _apply_faults(world, await _json_object(request))
        return JSONResponse({store: cfg.as_dict() for store, cfg in world.faults.items()})

    async def livestream(request: Request) -> Response:
        world.set_livestream(_flag(request.query_params.get("on")))
        return JSONResponse({"livestream": world.livestream})

    async def order_rate(request: Request) -> Response:
        per_minute = _order_rate(request.query_params.get("per_minute"))
        world.tiktok.set_order_rate(per_minute)
        return JSONResponse({"orders_per_minute": per_minute})

    async def seller_center_ship(request: Request) -> Response:
        order_id = request.query_params.get("order_id")
        if not order_id:
            raise BadRequest("query parameter 'order_id' is required")
        try:
            shipped = world.tiktok.ship_in_seller_center(order_id)
        except KeyError:
            return JSONResponse({"error": f"no TikTok order {order_id}"}, status_code=404)
        except ValueError as refused:
            return JSONResponse({"error": str(refused)}, status_code=409)
        return JSONResponse(shipped)

    async def limits(request: Request) -> Response:
        if request.method == "POST":
            update = _model(LimitsUpdate, await _json_object(request), "/limits")
            world.set_limits(tiktok_qps=update.tiktok_qps, shopify_plan=update.shopify_plan)
        return JSONResponse(world.limits())

    async def promotion(request: Request) -> Response:
        product_id = request.query_params.get("product_id") or ""
        on = _flag(request.query_params.get("on"))
        if not world.tiktok.set_promotion(product_id, on):
            return JSONResponse({"error": f"no TikTok product {product_id!r}"}, status_code=404)
        return JSONResponse({"product_id": product_id, "in_promotion": on})

    async def bank_statement(request: Request) -> Response:
        return Response(world.tiktok.bank_statement_csv(), media_type="text/csv")

    routes = [
        Route("/state", state, methods=["GET"]),
        Route("/bank/statement.csv", bank_statement, methods=["GET"]),
        Route("/clock/advance", advance, methods=["POST"]),
        Route("/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/livestream", livestream, methods=["POST"]),
        Route("/orders/rate", order_rate, methods=["POST"]),
        Route("/tiktok/orders/ship", seller_center_ship, methods=["POST"]),
        Route("/limits", limits, methods=["GET", "POST"]),
        Route("/tiktok/products/promotion", promotion, methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={BadRequest: _bad_request})


async def _bad_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, BadRequest)
    return JSONResponse({"error": error.message, "detail": error.detail}, status_code=422)


def _apply_faults(world: World, body: dict[str, Any]) -> None:
    """Per-store knobs when the keys name stores, else flat knobs for both stores."""
    # Validated as a whole before anything changes: a bad body changes nothing.
    _model(StoreFaults, body, "/faults").apply(world.faults)


def _model(model: type[M], body: dict[str, Any], where: str) -> M:
    try:
        return model.model_validate(body)
    except ValidationError as error:
        detail = [
            {"loc": ".".join(str(p) for p in e["loc"]), "msg": e["msg"]}
            for e in error.errors(include_url=False)
        ]
        summary = "; ".join(f"{d['loc']}: {d['msg']}" for d in detail)
        raise BadRequest(f"invalid {where} body: {summary}", detail) from None


async def _json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def _seconds(raw: str | None) -> float:
    return _number("seconds", raw, MAX_ADVANCE_SECONDS)


def _order_rate(raw: str | None) -> float:
    return _number("per_minute", raw, MAX_ORDERS_PER_MINUTE)


def _number(name: str, raw: str | None, most: float) -> float:
    """A required query parameter that must be a number from 0 to ``most``."""
    if raw is None:
        raise BadRequest(f"query parameter '{name}' is required")
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"'{name}' must be a number, got {raw!r}") from None
    if not math.isfinite(value) or not 0 <= value <= most:
        raise BadRequest(f"'{name}' must be between 0 and {most}")
    return value


def _flag(raw: str | None) -> bool:
    value = (raw or "").lower()
    if value in ("true", "1", "on"):
        return True
    if value in ("false", "0", "off"):
        return False
    raise BadRequest("query parameter 'on' must be true or false")
