"""Logging: a rotating file in the log directory, the console with ``--debug``,
and a filter that keeps tokens and secrets out of both.

The filter redacts two ways: by pattern (header and parameter names that carry
secrets, whatever their value) and by value (every token the token store has
handed out, wherever it appears, even inside a traceback).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

REDACTED = "***"

_SECRET_NAMES = (
    r"authorization",
    r"x-tts-access-token",
    r"x-shopify-access-token",
    r"access_token",
    r"refresh_token",
    r"app_secret",
    r"client_secret",
    r"auth_code",
)
# name, then a separator such as `: `, `=`, `": "` or `', '`, then an optional
# scheme (Bearer/Basic), then the value up to a delimiter.
_PATTERN = re.compile(
    r"(?P<name>(?:" + "|".join(_SECRET_NAMES) + r"))"
    r"(?P<sep>[\"']?\s*(?:[:=]|,)\s*[\"']?)"
    r"(?P<scheme>(?:Bearer|Basic|token)\s+)?"
    r"(?P<value>[^\s\"'&,;}\])]+)",
    re.IGNORECASE,
)
_MIN_SECRET_LENGTH = 6  # shorter values would redact ordinary words


class SecretRedactor:
    """Replaces secrets in text. Thread-safe; secrets can be added at any time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: frozenset[str] = frozenset()

    def add_secret(self, value: str | None) -> None:
        """Redact ``value`` wherever it appears from now on."""
        if value and len(value) >= _MIN_SECRET_LENGTH:
            with self._lock:
                self._secrets = self._secrets | {value}

    def redact(self, text: str) -> str:
        """The text with every known secret and every secret-named value masked."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
        return _PATTERN.sub(_mask, text)


def _mask(match: re.Match[str]) -> str:
    value = match.group("value")
    if value == REDACTED:
        return match.group(0)
    return f"{match.group('name')}{match.group('sep')}{match.group('scheme') or ''}{REDACTED}"


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, arguments and traceback through a redactor.

    Attached to every handler (not to loggers), so records propagated from any
    library logger are redacted too.
    """

    def __init__(self, redactor: SecretRedactor) -> None:
        super().__init__()
        self.redactor = redactor
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redactor.redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = self.redactor.redact(self._formatter.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redactor.redact(record.stack_info)
        return True


class ErrorCounter(logging.Handler):
    """Counts records at ERROR and above (the self-test fails if any)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.messages.append(record.getMessage())


_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_QUIET_LOGGERS = ("httpx", "httpcore", "peewee", "hpack", "asyncio", "uvicorn", "uvicorn.error")


def setup_logging(log_file: Path, redactor: SecretRedactor, *, debug: bool = False) -> None:
    """Install the file handler (and console handler in debug) on the root logger.

    Calling it again replaces the handlers it installed before.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_tiktok_console", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    file_handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    handlers: list[logging.Handler] = [file_handler]
    if debug:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(RedactingFilter(redactor))
        handler._tiktok_console = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if debug else logging.WARNING)
    logging.getLogger("peewee").setLevel(logging.WARNING)
