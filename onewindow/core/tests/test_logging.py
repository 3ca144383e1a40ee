"""Log lines are JSON, carry the request context, and never hold an ID or mobile number in clear."""

import io
import json
import logging
import sys

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from onewindow.core import context
from onewindow.core.logging import JSONFormatter, RedactPIIFilter, redact
from onewindow.core.pii import id_check_char

ID_NUMBER = "37082919900101123" + id_check_char("37082919900101123")
MOBILE = "13812345678"


@pytest.fixture
def log():
    """A logger writing through the production filter and formatter into a buffer; returns (logger, read)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPIIFilter())
    handler.setFormatter(JSONFormatter())
    logger = logging.getLogger("onewindow.tests.logging")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield logger, read, stream
    logger.removeHandler(handler)


def test_settings_point_at_these_classes():
    assert import_string(settings.LOGGING["filters"]["redact_pii"]["()"]) is RedactPIIFilter
    assert import_string(settings.LOGGING["formatters"]["json"]["()"]) is JSONFormatter


def test_id_and_mobile_in_args_are_masked(log):
    logger, read, stream = log
    logger.info("身份证 %s 电话 %s", ID_NUMBER, MOBILE)
    raw = stream.getvalue()
    assert raw.count("\n") == 1
    assert ID_NUMBER not in raw and MOBILE not in raw
    [line] = read()
    assert line["message"] == "身份证 370829********123X 电话 138****5678"
    assert line["level"] == "INFO"
    assert line["logger"] == "onewindow.tests.logging"
    assert line["time"].endswith("+08:00")


def test_request_context_is_included(log):
    logger, read, _ = log
    token = context.activate(context.RequestContext(ip="10.37.8.29", request_id="req-42"))
    try:
        logger.warning("hello")
    finally:
        context.deactivate(token)
    logger.warning("outside")
    inside, outside = read()
    assert (inside["request_id"], inside["ip"]) == ("req-42", "10.37.8.29")
    assert (outside["request_id"], outside["ip"]) == (None, None)


def test_extra_fields_are_included_and_masked(log):
    logger, read, stream = log
    logger.info(
        "case received",
        extra={
            "case_number": "JX202506010001",
            "applicant": {"id_number": ID_NUMBER, "phones": [MOBILE, "0537-6851234"]},
            "mobile_as_int": int(MOBILE),
            "count": 3,
        },
    )
    assert ID_NUMBER not in stream.getvalue() and MOBILE not in stream.getvalue()
    [line] = read()
    assert line["case_number"] == "JX202506010001"
    assert line["applicant"] == {"id_number": "370829********123X", "phones": ["138****5678", "0537-6851234"]}
    assert line["mobile_as_int"] == "138****5678"
    assert line["count"] == 3


def test_exception_text_is_masked(log):
    logger, read, stream = log
    try:
        raise ValueError(f"duplicate applicant {ID_NUMBER} / {MOBILE}")
    except ValueError:
        logger.exception("intake failed for %s", MOBILE)
    assert ID_NUMBER not in stream.getvalue() and MOBILE not in stream.getvalue()
    [line] = read()
    assert line["level"] == "ERROR"
    assert "Traceback" in line["exception"] and "ValueError" in line["exception"]
    assert "370829********123X / 138****5678" in line["exception"]


def test_formatter_redacts_without_the_filter():
    record = logging.makeLogRecord({"msg": "id %s", "args": (ID_NUMBER,), "levelname": "INFO", "name": "x"})
    line = json.loads(JSONFormatter().format(record))
    assert line["message"] == "id 370829********123X"


def test_filter_flattens_the_message():
    record = logging.makeLogRecord({"msg": "tel %s", "args": (MOBILE,)})
    assert RedactPIIFilter().filter(record) is True
    assert (record.msg, record.args) == ("tel 138****5678", ())


@pytest.mark.parametrize(
    "text",
    [
        "+86 138 1234 5678",
        "+86-13812345678",
        "138-1234-5678",
        "lower x 37082919900101123x",
        "old id 370829900101123",  # 15 digits, before 1999
        f"tel:{MOBILE};",
        f"申请人{ID_NUMBER}已受理",
    ],
)
def test_pii_forms_are_masked(text):
    masked = redact(text)
    assert masked != text
    digits = "".join(ch for ch in masked if ch.isdigit())
    assert "12345678" not in digits and "19900101" not in digits and "900101" not in masked


@pytest.mark.parametrize(
    "text",
    [
        "case 2025060100012345",  # 16 digits
        "region 370829100000",  # 12-digit 区划代码
        "wrong check 37082919900101123" + ("0" if ID_NUMBER[-1] != "0" else "1"),
        "bad date 370829199002301234",
        "not mobile 12345678901",
        "landline 0537-6851234",
        "amount 1300.50 yuan, ticket A013, timestamp 1748736000000",
        "inside a longer run 9913812345678999",
        "15 digits with no date 370829991301123",
    ],
)
def test_other_numbers_are_left_alone(text):
    assert redact(text) == text


def test_filter_alone_masks_extras_and_exception_text():
    # Handlers other than the JSON one (mail to admins, plain console) rely on the filter alone.
    try:
        raise RuntimeError(f"lookup {ID_NUMBER}")
    except RuntimeError:
        record = logging.makeLogRecord({"msg": "failed", "exc_info": sys.exc_info()})
    record.applicant_mobile = MOBILE
    RedactPIIFilter().filter(record)
    assert record.applicant_mobile == "138****5678"
    assert "370829********123X" in record.exc_text and ID_NUMBER not in record.exc_text
    assert ID_NUMBER not in logging.Formatter().format(record)


def test_malformed_call_does_not_raise_or_leak(log):
    logger, read, stream = log
    logger.info("two placeholders %s %s", MOBILE)
    assert MOBILE not in stream.getvalue()
    [line] = read()
    assert "138****5678" in line["message"] and "malformed" in line["message"]
