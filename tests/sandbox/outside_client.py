"""A client of a running sandbox that knows only what an outside program would.

It signs TikTok requests with its own small implementation of README A3 and
the wall clock, gets its token through the authorize page, refreshes it when
TikTok says it expired, and steers the world through the control endpoints.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

EXPIRED_TOKEN = 105002


class OutsideClient:
    """Signed TikTok calls plus the control app, from ``sandbox.info()`` alone."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = info
        self.tiktok = info["tiktok"]
        self.control = info["control_url"]
        self.http = httpx.Client(timeout=30)
        self.cipher = ""
        self.access_token, self.refresh_token = self._authorize()
        shops = self.ok("GET", "/authorization/202309/shops", cipher=False)["shops"]
        self.cipher = shops[0]["cipher"]
        self.refreshes = 0

    def close(self) -> None:
        self.http.close()

    # -- TikTok --------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: Any = None,
        cipher: bool = True,
    ) -> dict[str, Any]:
        """One signed call; an expired token is refreshed once, as a client would."""
        answer = self._send(method, path, query, body, cipher)
        if answer["code"] == EXPIRED_TOKEN:
            self._refresh()
            answer = self._send(method, path, query, body, cipher)
        return answer

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        """``data`` of a call that must succeed."""
        answer = self.call(method, path, **kwargs)
        assert answer["code"] == 0, answer
        return answer["data"]

    def all(self, path: str, key: str, body: dict[str, Any] | None = None) -> list[Any]:
        """Every item of a POST search, page by page."""
        items: list[Any] = []
        token = ""
        while True:
            query = {"page_size": "50"} | ({"page_token": token} if token else {})
            data = self.ok("POST", path, query=query, body=body or {})
            items += data[key]
            token = data["next_page_token"]
            if not token:
                return items

    def _send(
        self, method: str, path: str, query: dict[str, str] | None, body: Any, cipher: bool
    ) -> dict[str, Any]:
        # The wall clock, whatever day the sandbox is on: TikTok checks it against its own.
        q = {"app_key": self.tiktok["app_key"], "timestamp": str(int(time.time()))}
        if cipher:
            q["shop_cipher"] = self.cipher
        q.update(query or {})
        raw = b"" if body is None else json.dumps(body).encode()
        q["sign"] = _sign(self.tiktok["app_secret"], path, q, raw)
        headers = {"x-tts-access-token": self.access_token}
        if raw:
            headers["content-type"] = "application/json"
        response = self.http.request(
            method, self.tiktok["api_url"] + path, params=q, content=raw, headers=headers
        )
        answer: dict[str, Any] = response.json()
        return answer

    def _authorize(self) -> tuple[str, str]:
        approved = self.http.post(
            f"{self.tiktok['authorize_url']}&redirect_uri=http://127.0.0.1:9/cb&state=s",
            data={"approve": "1"},
        )
        code = parse_qs(urlsplit(approved.headers["location"]).query)["code"][0]
        return self._token(
            "/api/v2/token/get", {"auth_code": code, "grant_type": "authorized_code"}
        )

    def _refresh(self) -> None:
        self.refreshes += 1
        self.access_token, self.refresh_token = self._token(
            "/api/v2/token/refresh",
            {"refresh_token": self.refresh_token, "grant_type": "refresh_token"},
        )

    def _token(self, path: str, params: dict[str, str]) -> tuple[str, str]:
        query = {"app_key": self.tiktok["app_key"], "app_secret": self.tiktok["app_secret"]}
        answer = self.http.get(self.tiktok["auth_url"] + path, params=query | params).json()
        assert answer["code"] == 0, answer
        return answer["data"]["access_token"], answer["data"]["refresh_token"]

    # -- control -------------------------------------------------------------
    def advance(self, seconds: float) -> int:
        """Move the sandbox clock; returns the new sandbox time."""
        response = self.http.post(self.control + "/clock/advance", params={"seconds": seconds})
        assert response.status_code == 200, response.text
        return int(response.json()["now"])

    def now(self) -> int:
        return int(self.state()["clock"]["now"])

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = self.http.get(self.control + "/state").json()
        return state

    def order_rate(self, per_minute: float) -> None:
        response = self.http.post(self.control + "/orders/rate", params={"per_minute": per_minute})
        assert response.status_code == 200, response.text

    def ship_in_seller_center(self, order_id: str) -> httpx.Response:
        return self.http.post(self.control + "/tiktok/orders/ship", params={"order_id": order_id})


def _sign(secret: str, path: str, query: dict[str, str], body: bytes) -> str:
    params = {k: v for k, v in query.items() if k not in ("sign", "access_token")}
    text = path + "".join(f"{k}{params[k]}" for k in sorted(params))
    message = secret.encode() + text.encode() + body + secret.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
