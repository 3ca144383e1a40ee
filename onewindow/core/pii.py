"""Personal identifiers: validation, normalisation and display masking.

- 居民身份证号码 (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check character.
- 中国大陆手机号码: 11 digits, 1[3-9]x.
- 统一社会信用代码 (GB 32100-2015): 18 characters, MOD 31 check character.

Error messages say what is wrong and never echo the value: they end up in responses and logs.
"""

import re
import unicodedata
from datetime import date

from django.db import models
from django.utils import timezone

from onewindow.core.errors import ValidationFailed


class InvalidIdNumber(ValidationFailed):
    code = "pii.invalid_id_number"
    message = "身份证号码无效"


class InvalidMobile(ValidationFailed):
    code = "pii.invalid_mobile"
    message = "手机号码格式不对，应为11位中国大陆手机号码"


class InvalidCreditCode(ValidationFailed):
    code = "pii.invalid_credit_code"
    message = "统一社会信用代码无效"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


# First two digits of the region code. 71 Taiwan, 81/82 Hong Kong/Macau; 83 appears on the
# residence permits of Taiwan residents (港澳台居民居住证 use 810000/820000/830000).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_EARLIEST_BIRTH = date(1900, 1, 1)

_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s\-()（）]")

_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I O Z S V
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_SHAPE = re.compile(rf"[{_CREDIT_CHARSET}]{{2}}\d{{6}}[{_CREDIT_CHARSET}]{{10}}")


def _nfkc_compact(value: str) -> str:
    # NFKC turns full-width digits and letters typed on Chinese IMEs (３７０８…Ｘ) into ASCII.
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


# --- 居民身份证号码 -----------------------------------------------------------------------------


def normalize_id_number(value: str) -> str:
    """Full-width to ASCII, whitespace removed, check character upper-cased. Does not validate."""
    return _nfkc_compact(value).upper()


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _today() -> date:
    return timezone.localdate()


def validate_id_number(value: str, *, today: date | None = None) -> str:
    """The normalised 18-character number, or InvalidIdNumber saying what is wrong.

    Also accepts the 2023 外国人永久居留身份证 (leading 9, then a province code): it follows the
    same layout and check character, and permanent residents are served like citizens.
    """
    number = normalize_id_number(value)
    if len(number) != 18:
        raise InvalidIdNumber("身份证号码位数不对，应为18位")
    if not _ID_SHAPE.fullmatch(number):
        raise InvalidIdNumber("身份证号码格式不对：前17位应为数字，最后一位为数字或X")
    province = number[1:3] if number[0] == "9" else number[:2]
    if province not in PROVINCE_CODES:
        raise InvalidIdNumber("身份证号码前6位地区码无效")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("身份证号码中的出生日期无效") from None
    if not _EARLIEST_BIRTH <= born <= (today or _today()):
        raise InvalidIdNumber("身份证号码中的出生日期无效")
    if id_check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("身份证号码校验码错误，请核对后重新输入")
    return number


def is_valid_id_number(value: str) -> bool:
    try:
        validate_id_number(value)
    except InvalidIdNumber:
        return False
    return True


def birth_date_of(id_number: str) -> date:
    number = validate_id_number(id_number)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_of(id_number: str) -> Gender:
    """The 17th digit (sequence code) is odd for men, even for women."""
    number = validate_id_number(id_number)
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


def age_on(id_number: str, day: date) -> int:
    """Full years on `day` (a 29 February birthday counts on 1 March in common years)."""
    born = birth_date_of(id_number)
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)


# --- 手机号码 -------------------------------------------------------------------------------------


def normalize_mobile(value: str) -> str:
    """Separators and a +86 / 0086 / 86 country prefix removed. Does not validate."""
    number = _MOBILE_SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value)))
    for prefix in ("+86", "0086", "86"):
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            return number[len(prefix) :]
    return number


def validate_mobile(value: str) -> str:
    number = normalize_mobile(value)
    if not _MOBILE.fullmatch(number):
        raise InvalidMobile()
    return number


# --- 统一社会信用代码 ------------------------------------------------------------------------------


def normalize_credit_code(value: str) -> str:
    return _nfkc_compact(value).upper()


def credit_check_char(first17: str) -> str:
    """The GB 32100-2015 MOD 31 check character for the first 17 characters."""
    total = sum(_CREDIT_CHARSET.index(char) * weight for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise InvalidCreditCode("统一社会信用代码位数不对，应为18位")
    if not _CREDIT_SHAPE.fullmatch(code):
        # Characters 3–8 are the registering authority's region code, the rest avoid I O Z S V.
        raise InvalidCreditCode("统一社会信用代码含有无效字符")
    if credit_check_char(code[:17]) != code[17]:
        raise InvalidCreditCode("统一社会信用代码校验码错误，请核对后重新输入")
    return code


# --- Masking for display ----------------------------------------------------------------------
# Masks work on any input (they run in templates and logs) and never validate; a value too short
# for the usual pattern is masked entirely rather than shown.


def _keep_ends(value: str, *, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_id_number(value: str) -> str:
    """370829199001011234 → 370829********1234 (region kept, birth date hidden)."""
    return _keep_ends(normalize_id_number(value), head=6, tail=4)


def mask_mobile(value: str) -> str:
    """13812345678 → 138****5678."""
    return _keep_ends(normalize_mobile(value), head=3, tail=4)


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; a one-character name is hidden entirely."""
    name = str(value).strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


def mask_credit_code(value: str) -> str:
    """91350100M000100Y43 → 9135**********0Y43."""
    return _keep_ends(normalize_credit_code(value), head=4, tail=4)
