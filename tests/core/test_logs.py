"""No secret reaches the log file, whatever the level, format or traceback."""

import logging
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.core.logs import SecretRedactor, setup_logging

TOKEN = "TTP_w1Zk9aQ8vXq3LmN0pRt7"
SHOPIFY_TOKEN = "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"
SECRETS = [TOKEN, SHOPIFY_TOKEN, "s3cr3t-app-value", "rotating-refresh-9f8e7d", "cs_0a1b2c3d4e5f"]


@pytest.fixture
def log_file(tmp_path: Path):
    redactor = SecretRedactor()
    path = tmp_path / "logs" / "console.log"
    setup_logging(path, redactor, debug=True)
    yield path, redactor
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_tiktok_console", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


@pytest.mark.parametrize("level", [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR])
def test_secret_shapes_are_redacted_at_every_level(log_file, level: int) -> None:
    path, _ = log_file
    log = logging.getLogger("tiktok_console.test")
    log.log(level, "headers {'Authorization': 'Bearer %s'}", SECRETS[2])
    log.log(level, "x-tts-access-token: %s", TOKEN)
    log.log(level, "X-Shopify-Access-Token=%s", SHOPIFY_TOKEN)
    log.log(
        level,
        "GET /api/v2/token/refresh?app_key=abc&app_secret=%s&refresh_token=%s",
        SECRETS[2],
        SECRETS[3],
    )
    log.log(level, '{"access_token": "%s", "client_secret": "%s"}', TOKEN, SECRETS[4])
    logging.getLogger("httpx").log(level, "headers [('x-tts-access-token', '%s')]", TOKEN)
    _flush()
    text = path.read_text()
    for secret in SECRETS:
        assert secret not in text
    if level >= logging.WARNING:  # httpx is quiet below WARNING even in debug
        assert text.count("***") >= 7


def test_known_tokens_are_redacted_anywhere(log_file) -> None:
    path, redactor = log_file
    redactor.add_secret(TOKEN)
    logging.getLogger("tiktok_console.test").warning(
        "token in prose %s and glued%sglued", TOKEN, TOKEN
    )
    _flush()
    assert TOKEN not in path.read_text()
    assert "glued***glued" in path.read_text()


def test_secrets_in_tracebacks_are_redacted(log_file) -> None:
    path, redactor = log_file
    redactor.add_secret(SHOPIFY_TOKEN)
    try:
        raise RuntimeError(f"request failed with X-Shopify-Access-Token {SHOPIFY_TOKEN}")
    except RuntimeError:
        logging.getLogger("tiktok_console.test").exception("boom")
    _flush()
    text = path.read_text()
    assert "RuntimeError" in text
    assert SHOPIFY_TOKEN not in text


def test_httpx_and_peewee_are_quiet_by_default(tmp_path: Path) -> None:
    path = tmp_path / "quiet.log"
    setup_logging(path, SecretRedactor(), debug=False)
    logging.getLogger("httpx").info("HTTP Request: GET https://example.invalid")
    logging.getLogger("peewee").debug("SELECT 1")
    logging.getLogger("tiktok_console.test").info("visible")
    _flush()
    text = path.read_text()
    assert "visible" in text
    assert "HTTP Request" not in text and "SELECT 1" not in text


_VALUE_CHARS = st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="\"'&,;}])")
_TEMPLATES = ("access_token={}", "refresh_token: {}", '"client_secret": "{}"', "app_secret={}&x=1")


@given(st.text(alphabet=_VALUE_CHARS, min_size=6, max_size=40))
def test_any_value_after_a_secret_name_is_masked(value: str) -> None:
    redactor = SecretRedactor()
    for template in _TEMPLATES:
        assert redactor.redact(template.format(value)) == template.format("***")
