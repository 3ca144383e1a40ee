"""GB 11643 ID numbers, mainland mobile numbers, GB 32100 credit codes, and display masks."""

from datetime import date

import pytest

from onewindow.core import pii
from onewindow.core.errors import ValidationFailed

TODAY = date(2025, 6, 1)


def check_char(first17: str) -> str:
    # Written independently of pii.py: weight of position i is 2^(17-i) mod 11, check is (12 - s) mod 11.
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_id(*, region: str = "370829", born: str = "19900101", seq: str = "123") -> str:
    first17 = region + born + seq
    return first17 + check_char(first17)


def wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


# --- ID number ------------------------------------------------------------------------------


def test_generated_id_numbers_are_valid():
    for region, born, seq in [
        ("370829", "19900101", "123"),
        ("110105", "20000229", "457"),
        ("540102", "19000101", "001"),
    ]:
        number = make_id(region=region, born=born, seq=seq)
        assert pii.validate_id_number(number, today=TODAY) == number


def test_standard_example_with_x_check_character():
    # The example printed in GB 11643-1999.
    assert pii.validate_id_number("11010519491231002X", today=TODAY) == "11010519491231002X"


def test_lower_case_x_full_width_and_spaces_are_normalised():
    number = "11010519491231002X"
    assert pii.validate_id_number("11010519491231002x", today=TODAY) == number
    assert pii.validate_id_number(" 110105 19491231 002x ", today=TODAY) == number
    assert pii.validate_id_number("１１０１０５１９４９１２３１００２ｘ", today=TODAY) == number


def test_wrong_check_digit_is_refused():
    number = make_id()
    with pytest.raises(pii.InvalidIdNumber) as caught:
        pii.validate_id_number(wrong_check(number), today=TODAY)
    assert "校验码错误" in caught.value.message


@pytest.mark.parametrize("born", ["19900230", "19900431", "19901301", "19900001", "19010229"])
def test_impossible_birth_date_is_refused(born):
    with pytest.raises(pii.InvalidIdNumber) as caught:
        pii.validate_id_number(make_id(born=born), today=TODAY)
    assert "出生日期无效" in caught.value.message


def test_future_birth_date_is_refused():
    with pytest.raises(pii.InvalidIdNumber) as caught:
        pii.validate_id_number(make_id(born="20250602"), today=TODAY)
    assert "出生日期无效" in caught.value.message
    assert pii.validate_id_number(make_id(born="20250601"), today=TODAY)


def test_future_birth_date_is_refused_against_the_real_clock():
    with pytest.raises(pii.InvalidIdNumber):
        pii.validate_id_number(make_id(born=f"{date.today().year + 1}0101"))


def test_birth_before_1900_is_refused():
    # The second example of GB 11643 (born 1880) is well formed but no living applicant.
    with pytest.raises(pii.InvalidIdNumber) as caught:
        pii.validate_id_number("440524188001010014", today=TODAY)
    assert "出生日期无效" in caught.value.message


@pytest.mark.parametrize("value", ["37082919900101123", "3708291990010112345", "", "1234"])
def test_wrong_length_is_refused(value):
    with pytest.raises(pii.InvalidIdNumber) as caught:
        pii.validate_id_number(value, today=TODAY)
    assert "位数不对" in caught.value.message


def test_letters_other_than_a_final_x_are_refused():
    with pytest.raises(pii.InvalidIdNumber) as caught:
        pii.validate_id_number("3708291990X1011234", today=TODAY)
    assert "格式不对" in caught.value.message


@pytest.mark.parametrize("region", ["000000", "990101", "100101", "380101"])
def test_unknown_province_is_refused(region):
    with pytest.raises(pii.InvalidIdNumber) as caught:
        pii.validate_id_number(make_id(region=region), today=TODAY)
    assert "地区码" in caught.value.message


def test_residence_permits_and_foreigners_permanent_residence_cards_are_accepted():
    for region in ("810000", "830000", "937156"):
        number = make_id(region=region)
        assert pii.validate_id_number(number, today=TODAY) == number


def test_error_has_stable_code_and_never_echoes_the_number():
    number = make_id()
    for bad in (wrong_check(number), number[:17], make_id(born="19900230")):
        with pytest.raises(ValidationFailed) as caught:
            pii.validate_id_number(bad, today=TODAY)
        assert caught.value.code == "pii.invalid_id_number"
        assert isinstance(caught.value, pii.InvalidIdNumber)
        assert bad not in caught.value.message and bad[:14] not in str(caught.value)


def test_is_valid_id_number():
    assert pii.is_valid_id_number(make_id())
    assert not pii.is_valid_id_number(wrong_check(make_id()))


def test_birth_date_gender_and_age():
    man = make_id(born="19600315", seq="011")
    woman = make_id(born="19600315", seq="012")
    assert pii.birth_date_of(man) == date(1960, 3, 15)
    assert pii.gender_of(man) == pii.Gender.MALE
    assert pii.gender_of(woman) == pii.Gender.FEMALE
    assert pii.gender_of("11010519491231002X").label == "女"
    assert pii.age_on(man, date(2025, 3, 14)) == 64
    assert pii.age_on(man, date(2025, 3, 15)) == 65


def test_age_of_a_leap_day_birthday():
    number = make_id(born="20000229")
    assert pii.age_on(number, date(2018, 2, 28)) == 17
    assert pii.age_on(number, date(2018, 3, 1)) == 18


def test_derived_values_refuse_invalid_numbers():
    with pytest.raises(pii.InvalidIdNumber):
        pii.age_on(wrong_check(make_id()), TODAY)


# --- Mobile ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "8613812345678",
        "0086-13812345678",
    ],
)
def test_valid_mobile_forms_normalise(value):
    assert pii.validate_mobile(value) == "13812345678"


def test_all_current_prefixes_are_accepted():
    for prefix in ("130", "145", "150", "166", "177", "188", "191", "199"):
        assert pii.validate_mobile(prefix + "12345678") == prefix + "12345678"


@pytest.mark.parametrize(
    "value",
    ["12345678901", "10012345678", "1381234567", "138123456789", "0531-88888888", "1381234567a", ""],
)
def test_invalid_mobile_is_refused(value):
    with pytest.raises(pii.InvalidMobile) as caught:
        pii.validate_mobile(value)
    assert caught.value.code == "pii.invalid_mobile"
    assert "手机号码" in caught.value.message


# --- Unified social credit code ---------------------------------------------------------------

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(first17: str) -> str:
    # Independent of pii.py: weight i is 3^i mod 31.
    total = sum(CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return first17 + CHARSET[(31 - total % 31) % 31]


def test_computed_and_real_credit_codes_are_valid():
    computed = credit_code("91370829MA3C12345")
    assert pii.validate_credit_code(computed) == computed
    assert pii.validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    assert pii.validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_credit_code_with_wrong_check_character_is_refused():
    code = credit_code("91370829MA3C12345")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(pii.InvalidCreditCode) as caught:
        pii.validate_credit_code(wrong)
    assert caught.value.code == "pii.invalid_credit_code"
    assert "校验码错误" in caught.value.message


@pytest.mark.parametrize(
    "first17", ["91370829MA3C1234I", "91370829MA3O12345", "91370829MA3S12345", "9137A829MA3C12345"]
)
def test_credit_code_with_forbidden_characters_is_refused(first17):
    with pytest.raises(pii.InvalidCreditCode) as caught:
        pii.validate_credit_code(first17 + "0")
    assert "无效字符" in caught.value.message


def test_credit_code_of_wrong_length_is_refused():
    with pytest.raises(pii.InvalidCreditCode) as caught:
        pii.validate_credit_code("91350100M000100Y4")
    assert "位数不对" in caught.value.message


# --- Masks ----------------------------------------------------------------------------------


def test_masks():
    assert pii.mask_id_number("370829199001011234") == "370829********1234"
    assert pii.mask_id_number("11010519491231002x") == "110105********002X"
    assert pii.mask_mobile("13812345678") == "138****5678"
    assert pii.mask_mobile("+86 138-1234-5678") == "138****5678"
    assert pii.mask_name("张三") == "张*"
    assert pii.mask_name("欧阳娜娜") == "欧***"
    assert pii.mask_name("张") == "*"
    assert pii.mask_credit_code("91350100M000100Y43") == "9135**********0Y43"


def test_masks_of_short_values_hide_everything():
    assert pii.mask_id_number("1234") == "****"
    assert pii.mask_mobile("1234567") == "*******"
    assert pii.mask_name("") == ""
