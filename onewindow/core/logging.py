"""PII-safe logging: ID and mobile numbers are masked before a line is written; one JSON object per line.

Only numbers that really look like PII are masked, so case numbers, amounts and timestamps stay
readable: an 18-character run must pass the full GB 11643 check (region, birth date, check
character), a 15-digit run must carry a valid region and birth date (pre-1999 numbers have no
check digit), and a mobile number must match 1[3-9]x with 11 digits (optionally +86 and
3-4-4 spacing). Runs inside longer digit strings are left alone.
"""

import json
import logging
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from onewindow.core import context, pii

_TZ = ZoneInfo("Asia/Shanghai")

_ID18 = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
_ID15 = re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])")
_MOBILE = re.compile(
    r"(?<![0-9])(?P<prefix>(?:\+|00)?86[-\s]?)?"  # optional country code
    r"(?P<number>1[3-9][0-9](?:[-\s]?[0-9]{4}){2})(?![0-9])"  # 11 digits, optionally 3-4-4 spaced
)


def _mask_id18(match: re.Match) -> str:
    text = match.group()
    return pii.mask_id_number(text) if pii.is_valid_id_number(text) else text


def _mask_id15(match: re.Match) -> str:
    text = match.group()
    try:
        date(1900 + int(text[6:8]), int(text[8:10]), int(text[10:12]))
    except ValueError:
        return text
    return pii.mask_id_number(text) if text[:2] in pii.PROVINCE_CODES else text


def _mask_mobile(match: re.Match) -> str:
    return (match.group("prefix") or "") + pii.mask_mobile(match.group("number"))


def redact(text: str) -> str:
    """The text with ID and mobile numbers masked; anything else is unchanged."""
    if not any(char.isdigit() for char in text):
        return text
    text = _ID18.sub(_mask_id18, text)
    text = _ID15.sub(_mask_id15, text)
    return _MOBILE.sub(_mask_mobile, text)


def _redact_value(value):
    """Strings, numbers and containers redacted; other objects left for the formatter's str()."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int) and not isinstance(value, bool):
        masked = redact(str(value))
        return value if masked == str(value) else masked
    if isinstance(value, dict):
        return {key: _redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact_value(item) for item in value]
    return value


def _message(record: logging.LogRecord) -> str:
    """The redacted message. A malformed call (wrong argument count) must not raise here: from a
    filter it would propagate into the caller, and logging's own error report prints the raw args."""
    try:
        message = record.getMessage()
    except Exception:
        message = f"{record.msg} (malformed log arguments: {record.args!r})"
    return redact(message)


_RECORD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def _extras(record: logging.LogRecord) -> dict:
    return {key: value for key, value in record.__dict__.items() if key not in _RECORD_ATTRS}


class RedactPIIFilter(logging.Filter):
    """Masks PII in the formatted message, extra fields, exception and stack text of every record."""

    _exception_formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _message(record)
        record.args = ()
        for key, value in _extras(record).items():
            setattr(record, key, _redact_value(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = self._exception_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _json_safe(value):
    # Objects such as Django's request (its repr holds the query string) are stringified and redacted.
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, str | int):
        return _redact_value(value)
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return redact(str(value))


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time (Asia/Shanghai), level, logger, message, request_id, ip,
    exception, plus extra fields. Redacts again, so a handler without the filter leaks nothing."""

    def format(self, record: logging.LogRecord) -> str:
        ctx = context.current()
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=_TZ).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record),
            "request_id": ctx.request_id,
            "ip": ctx.ip,
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            payload["exception"] = redact(record.exc_text)
        if record.stack_info:
            payload["stack"] = redact(self.formatStack(record.stack_info))
        for key, value in _extras(record).items():
            # An extra may supply request_id/ip outside a request (workers); it never replaces core keys.
            if payload.get(key) is None:
                payload[key] = _json_safe(value)
        return json.dumps(payload, ensure_ascii=False, default=str)
