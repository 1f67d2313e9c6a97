"""Logging: a rotating file in the log directory, the console with ``--debug``,
and a filter that keeps tokens and secrets out of both.

The filter redacts two ways: by pattern (header and parameter names that carry
secrets, whatever their value and however they are spelled) and by value (every
token the token store has handed out, wherever it appears and however it was
encoded, even inside a traceback).
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

from tiktok_console.core.errors import describe_os_error

REDACTED = "***"

# Each name is a sequence of words; any spelling joins them: access_token,
# accessToken, access-token, ACCESS TOKEN, AccessToken.
_SECRET_NAMES = (
    ("authorization",),
    ("x", "tts", "access", "token"),
    ("x", "shopify", "access", "token"),
    ("access", "token"),
    ("refresh", "token"),
    ("id", "token"),
    ("app", "secret"),
    ("client", "secret"),
    ("shared", "secret"),
    ("auth", "code"),
    ("password",),
)
_JOIN = r"(?:[_\-\s]|%5F|%2D|%20)?"
_NAME = "|".join(_JOIN.join(words) for words in _SECRET_NAMES)
# A quote around a key or value, as written plainly, escaped in JSON, or URL-encoded.
_QUOTE = r"(?:\\\"|\"|'|%22|%27)"
_SEPARATOR = rf"{_QUOTE}?\s*(?:[:=]|,)\s*"
_SCHEME = r"(?:(?:Bearer|Basic|token)(?:\s+|%20|\+))?"
_PATTERN = re.compile(
    rf"(?P<name>(?:{_NAME}))(?P<sep>{_SEPARATOR})(?P<scheme>{_SCHEME})"
    # A quoted value runs to its closing quote (a secret may hold commas or spaces).
    rf"(?:(?P<quote>\\\"|\"|'|%22|%27)(?P<quoted>.*?)(?P=quote)"
    # An unquoted one to the next delimiter.
    r"|(?P<value>[^\s\"'&,;}\])]+))",
    re.IGNORECASE,
)
# The same inside a URL-encoded text (a query string within a query string):
# the value ends at an encoded ``&`` or quote.
_ENCODED_PATTERN = re.compile(
    rf"(?P<name>(?:{_NAME}))(?P<sep>(?:%22|%27)?(?:%3A|%3D)(?:%20|\+)*)(?P<scheme>{_SCHEME})"
    rf"(?:(?P<quote>%22|%27)(?P<quoted>.*?)(?P=quote)"
    r"|(?P<value>(?:(?!%26|%22|%27)[^\s\"'&<>])+))",
    re.IGNORECASE,
)
# OAuth's ``code`` is a credential only as a query parameter of a redirect.
_QUERY_CODE = re.compile(r"(?P<lead>(?:[?&]|%3F|%26)code(?:=|%3D))(?P<value>[^\s\"'&#<>]+)", re.I)
_MIN_SECRET_LENGTH = 6  # shorter values would redact ordinary words


def _encodings_of(char: str) -> str:
    """A regex matching ``char`` as written plainly, %-encoded (once or twice), or escaped."""
    forms = {re.escape(char)}
    encoded = char.encode("utf-8")
    forms.add("(?i:" + "".join(f"%{byte:02x}" for byte in encoded) + ")")
    forms.add("(?i:" + "".join(f"%25{byte:02x}" for byte in encoded) + ")")
    if char == " ":
        forms.add(r"\+")
    # JSON escapes, once or nested (JSON inside JSON doubles the backslashes).
    if ord(char) < 0x10000:
        forms.add(f"(?i:(?:\\\\)+u{ord(char):04x})")
    if char in "\"\\/'":
        forms.add(r"(?:\\)+" + re.escape(char))
    return "(?:" + "|".join(sorted(forms, key=len, reverse=True)) + ")"


def _secret_pattern(secret: str) -> re.Pattern[str]:
    """Matches ``secret`` however it was encoded, one character at a time."""
    return re.compile("".join(_encodings_of(char) for char in secret))


class SecretRedactor:
    """Replaces secrets in text. Thread-safe; secrets can be added at any time.

    The one redactor of the process: the log handlers and the command line's
    error output both go through it. A known secret is found whatever its
    encoding (plain, URL-encoded once or twice, JSON-escaped, mixed); a value
    is masked by its name too (``access_token``, ``accessToken``, ``Authorization``...)
    even before the secret is known.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: dict[str, re.Pattern[str]] = {}

    def add_secret(self, value: str | None) -> None:
        """Redact ``value`` wherever it appears from now on."""
        if value and len(value) >= _MIN_SECRET_LENGTH and value not in self._secrets:
            pattern = _secret_pattern(value)
            with self._lock:
                self._secrets = {**self._secrets, value: pattern}

    def redact(self, text: str) -> str:
        """The text with every known secret and every secret-named value masked."""
        secrets = self._secrets
        for secret in sorted(secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
            text = secrets[secret].sub(REDACTED, text)
        text = _ENCODED_PATTERN.sub(_mask, _PATTERN.sub(_mask, text))
        return _QUERY_CODE.sub(lambda m: m.group("lead") + REDACTED, text)


def _mask(match: re.Match[str]) -> str:
    head = f"{match.group('name')}{match.group('sep')}{match.group('scheme') or ''}"
    quote = match.group("quote")
    if quote is not None:
        return f"{head}{quote}{REDACTED}{quote}"
    if match.group("value") == REDACTED:
        return match.group(0)
    return f"{head}{REDACTED}"


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


class PrivateLogFile(logging.handlers.RotatingFileHandler):
    """The rotating log file: readable by its owner only, and quiet when it cannot write.

    When the disk is full or read-only, logging's default prints a traceback to
    standard error for every record (thousands of lines). This says so once,
    in one line, and again only after writing worked in between.
    """

    def __init__(self, path: Path) -> None:
        self._failing = False
        self._failed_now = False
        super().__init__(path, maxBytes=5_000_000, backupCount=5, encoding="utf-8")

    def _open(self) -> Any:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(descriptor, "a", encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        self._failed_now = False
        super().emit(record)
        if not self._failed_now:
            self._failing = False

    def close(self) -> None:
        # Lines still buffered for a full disk are lost either way; closing must not fail.
        try:
            super().close()
        except OSError:
            self.stream = None

    def handleError(self, record: logging.LogRecord) -> None:
        self._failed_now = True
        if self._failing:
            return
        self._failing = True
        error = sys.exc_info()[1]
        reason = describe_os_error(error) if isinstance(error, OSError) else repr(error)
        with contextlib.suppress(Exception):
            sys.stderr.write(
                f"tiktok-console: cannot write the log file {self.baseFilename} ({reason}); "
                "log lines are dropped until it can.\n"
            )


def setup_logging(log_file: Path, redactor: SecretRedactor, *, debug: bool = False) -> None:
    """Install the file handler (and console handler in debug) on the root logger.

    Calling it again replaces the handlers it installed before.

    Raises:
        OSError: the log file cannot be opened (the caller says so clearly).
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_tiktok_console", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [PrivateLogFile(log_file)]
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
