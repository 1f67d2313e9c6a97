"""One redactor, which no encoding or spelling gets a secret past (issue 14, item 7).

Known secrets are found however they were encoded on the way to the log; a value
named like a secret is masked whatever the name's spelling.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_console.core.logs import SecretRedactor, setup_logging

# Secrets as stores make them, plus the awkward ones: commas, spaces, quotes, unicode.
_SECRET_CHARS = st.characters(
    min_codepoint=33, max_codepoint=0x2FF, blacklist_categories=("Cs", "Cc")
) | st.sampled_from(list(",; \"'&=%+/"))
secrets_ = st.text(alphabet=_SECRET_CHARS, min_size=8, max_size=40).filter(
    lambda s: len(s.strip()) >= 8
)


def _encodings(secret: str) -> list[str]:
    once = quote(secret, safe="")
    return [
        secret,
        once,
        re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), once),  # lower-case hex
        quote_plus(secret),
        quote(secret, safe="/:,"),
        quote(once, safe=""),  # twice, as in a redirect_uri inside a query
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=True)[1:-1],
        json.dumps(json.dumps(secret))[1:-1],  # JSON inside JSON
        urlencode({"client_secret": secret}),
    ]


_CONTEXTS = ("{}", "before {} after", "x{}y", "GET /a?b={}&c=d", '{{"detail": "{}"}}')


@settings(max_examples=150, deadline=None)
@given(secret=secrets_, context=st.sampled_from(_CONTEXTS))
def test_a_known_secret_is_masked_however_it_was_encoded(secret: str, context: str) -> None:
    redactor = SecretRedactor()
    redactor.add_secret(secret)
    for encoded in _encodings(secret):
        text = redactor.redact(context.format(encoded))
        assert encoded not in text, (encoded, text)


_NAMES = (
    "access_token", "accessToken", "AccessToken", "access-token", "ACCESS_TOKEN",
    "refreshToken", "refresh_token", "client_secret", "clientSecret", "appSecret",
    "app_secret", "auth_code", "authCode", "x-tts-access-token", "X-Shopify-Access-Token",
)  # fmt: skip
_FORMS = (
    "{name}={value}",
    "{name}: {value}",
    '"{name}": "{value}"',
    "'{name}': '{value}'",
    '{{\\"{name}\\": \\"{value}\\"}}',  # JSON escaped inside a string
    "{name}%3D{value_q}",  # inside a URL-encoded query
    "%22{name}%22%3A%22{value_q}%22",  # URL-encoded JSON
    "('{name}', '{value}')",  # a header tuple
)
_VALUE_CHARS = st.characters(min_codepoint=48, max_codepoint=122, whitelist_categories=("L", "N"))


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(_NAMES),
    form=st.sampled_from(_FORMS),
    value=st.text(alphabet=_VALUE_CHARS, min_size=8, max_size=30),
    tail=st.sampled_from(["", ",more", " more", "&x=1"]),
)
def test_a_value_named_like_a_secret_is_masked_in_any_spelling(
    name: str, form: str, value: str, tail: str
) -> None:
    text = form.format(name=name, value=value, value_q=quote(value, safe="")) + tail
    assert value not in SecretRedactor().redact(text), text


@given(value=st.text(alphabet=_VALUE_CHARS, min_size=4, max_size=20))
def test_a_quoted_secret_with_commas_and_spaces_is_masked_whole(value: str) -> None:
    secret = f"{value}, with {value}"
    text = json.dumps({"clientSecret": secret, "shop": "harbor"})
    redacted = SecretRedactor().redact(text)
    assert value not in redacted and '"shop": "harbor"' in redacted


def test_the_code_of_a_redirect_is_masked_in_a_logged_url() -> None:
    redactor = SecretRedactor()
    for url in (
        "GET http://127.0.0.1:5000/callback?code=c0de-abc123&shop=x.myshopify.com",
        "http://127.0.0.1:5000/callback?state=s&code=c0de-abc123",
        "redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback%3Fcode%3Dc0de-abc123%26x%3D1",
    ):
        assert "c0de-abc123" not in redactor.redact(url)
    assert redactor.redact("error code 36009004") == "error code 36009004"  # not a secret


def test_every_log_record_and_traceback_goes_through_the_redactor(tmp_path: Path) -> None:
    redactor = SecretRedactor()
    secret = "shpss_a,b c%d"
    redactor.add_secret(secret)
    path = tmp_path / "log.txt"
    setup_logging(path, redactor)
    try:
        log = logging.getLogger("tiktok_console.tests.redaction")
        log.warning("body %s", urlencode({"x": secret}))
        try:
            raise RuntimeError(json.dumps({"detail": secret}))
        except RuntimeError:
            log.exception("failed")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text()
    finally:
        setup_logging(tmp_path / "other.txt", SecretRedactor())
    assert "RuntimeError" in text
    for encoded in _encodings(secret):
        assert encoded not in text
