"""SM3 digests, SM4-GCM tokens, blind indexes, key rotation and the encrypted model field."""

import base64
import json
import re

import pytest
from django.core import serializers
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps

from onewindow.core import crypto
from onewindow.core.fields import EncryptedTextField

KEY_A = "a1" * 32
KEY_B = "b2" * 32
ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"


@pytest.fixture(autouse=True)
def fresh_keys():
    crypto.clear_key_cache()
    yield
    crypto.clear_key_cache()


# --- SM3 ------------------------------------------------------------------------------------


def test_sm3_test_vectors():
    # GB/T 32905-2016 appendix A.
    assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


# --- Encryption -----------------------------------------------------------------------------


def test_round_trip():
    for value in (ID_NUMBER, "张三 山东省济宁市嘉祥县", ""):
        assert crypto.decrypt_pii(crypto.encrypt_pii(value)) == value


def test_token_is_versioned_ascii_and_holds_no_plaintext():
    token = crypto.encrypt_pii(ID_NUMBER)
    assert re.fullmatch(r"sm4gcm1:[0-9a-f]{8}:[A-Za-z0-9+/]+=*", token)
    assert token.split(":")[1] == crypto.current_key_id()
    raw = base64.b64decode(token.split(":")[2])
    assert len(raw) == 12 + len(ID_NUMBER) + 16  # nonce | ciphertext | tag
    assert ID_NUMBER not in token and ID_NUMBER.encode() not in raw


def test_two_encryptions_of_the_same_value_differ():
    first, second = crypto.encrypt_pii(ID_NUMBER), crypto.encrypt_pii(ID_NUMBER)
    assert first != second
    assert crypto.decrypt_pii(first) == crypto.decrypt_pii(second) == ID_NUMBER


def _flip(token: str, index: int) -> str:
    version, key_id, body = token.split(":")
    raw = bytearray(base64.b64decode(body))
    raw[index] ^= 0x01
    return f"{version}:{key_id}:{base64.b64encode(bytes(raw)).decode()}"


@pytest.mark.parametrize("index", [0, 12, 15, -1], ids=["nonce", "ciphertext", "ciphertext-end", "tag"])
def test_tampered_token_is_refused(index):
    token = crypto.encrypt_pii(ID_NUMBER)
    with pytest.raises(crypto.DecryptionError, match="tampered"):
        crypto.decrypt_pii(_flip(token, index))


def test_malformed_tokens_are_refused():
    token = crypto.encrypt_pii(ID_NUMBER)
    version, key_id, body = token.split(":")
    for bad in (
        ID_NUMBER,
        f"sm4gcm2:{key_id}:{body}",
        f"{version}:{key_id}:{body[:20]}",
        f"{version}:{key_id}:not*base64",
        f"{version}:{key_id}:{body}:extra",
    ):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_pii(bad)


def test_token_under_another_key_is_refused():
    with override_settings(ONEWINDOW_PII_KEY=KEY_A):
        token = crypto.encrypt_pii(ID_NUMBER)
    with (
        override_settings(ONEWINDOW_PII_KEY=KEY_B),
        pytest.raises(crypto.DecryptionError, match="unknown key id"),
    ):
        crypto.decrypt_pii(token)


def test_swapping_the_key_id_is_detected():
    # The key id is authenticated: pointing a token at another key fails even if that key exists.
    with override_settings(ONEWINDOW_PII_KEY=KEY_A):
        token = crypto.encrypt_pii(ID_NUMBER)
        a_id = crypto.current_key_id()
    with override_settings(ONEWINDOW_PII_KEY=KEY_B, ONEWINDOW_PII_OLD_KEYS=[KEY_A]):
        forged = token.replace(a_id, crypto.current_key_id())
        with pytest.raises(crypto.DecryptionError, match="tampered"):
            crypto.decrypt_pii(forged)


def test_rotation_old_tokens_still_decrypt_and_are_flagged():
    with override_settings(ONEWINDOW_PII_KEY=KEY_A):
        old_token = crypto.encrypt_pii(ID_NUMBER)
        assert not crypto.needs_rotation(old_token)
    with override_settings(ONEWINDOW_PII_KEY=KEY_B, ONEWINDOW_PII_OLD_KEYS=[KEY_A]):
        assert crypto.decrypt_pii(old_token) == ID_NUMBER
        assert crypto.needs_rotation(old_token)
        new_token = crypto.encrypt_pii(crypto.decrypt_pii(old_token))
        assert not crypto.needs_rotation(new_token)
        assert new_token.split(":")[1] != old_token.split(":")[1]


def test_bad_master_key_is_a_configuration_error():
    with override_settings(ONEWINDOW_PII_KEY="too-short"), pytest.raises(ImproperlyConfigured):
        crypto.encrypt_pii(ID_NUMBER)


def test_encrypt_takes_text_only():
    with pytest.raises(TypeError):
        crypto.encrypt_pii(b"bytes")


# --- Blind index ----------------------------------------------------------------------------


def test_blind_index_is_stable_and_normalised():
    index = crypto.blind_index(ID_NUMBER, purpose="id_number")
    assert re.fullmatch(r"[0-9a-f]{64}", index)
    assert crypto.blind_index(ID_NUMBER, purpose="id_number") == index
    assert crypto.blind_index("11010519491231002x", purpose="id_number") == index
    assert crypto.blind_index(" 110105 19491231002Ｘ", purpose="id_number") == index
    assert crypto.blind_index("+86 138-1234-5678", purpose="mobile") == crypto.blind_index(MOBILE, purpose="mobile")
    assert crypto.blind_index("110105194912310021", purpose="id_number") != index


def test_blind_index_is_purpose_separated():
    assert crypto.blind_index(MOBILE, purpose="mobile") != crypto.blind_index(MOBILE, purpose="contact_phone")
    with pytest.raises(ValueError):
        crypto.blind_index(MOBILE, purpose="Mobile Number")


def test_blind_index_depends_on_the_key():
    with override_settings(ONEWINDOW_PII_KEY=KEY_A):
        under_a = crypto.blind_index(ID_NUMBER, purpose="id_number")
    crypto.clear_key_cache()
    with override_settings(ONEWINDOW_PII_KEY=KEY_B):
        under_b = crypto.blind_index(ID_NUMBER, purpose="id_number")
    with override_settings(ONEWINDOW_PII_KEY=KEY_A):
        assert crypto.blind_index(ID_NUMBER, purpose="id_number") == under_a
    assert under_a != under_b


def test_blind_index_is_not_a_plain_digest():
    assert crypto.blind_index(ID_NUMBER, purpose="id_number") != crypto.sm3_hex(ID_NUMBER.encode())


# --- EncryptedTextField ---------------------------------------------------------------------


def test_field_prep_and_from_db_round_trip():
    field = EncryptedTextField()
    stored = field.get_prep_value(ID_NUMBER)
    assert crypto.is_token(stored) and ID_NUMBER not in stored
    assert field.from_db_value(stored, None, connection) == ID_NUMBER
    assert field.get_prep_value(None) is None
    assert field.from_db_value(None, None, connection) is None


def test_field_refuses_a_tampered_column_value():
    field = EncryptedTextField()
    with pytest.raises(crypto.DecryptionError):
        field.from_db_value(_flip(field.get_prep_value(ID_NUMBER), 14), None, connection)


@isolate_apps("onewindow.core")
def test_field_cannot_be_unique_or_indexed():
    class Indexed(models.Model):  # noqa: DJ008
        secret = EncryptedTextField(unique=True)

        class Meta:
            app_label = "core"

    assert [error.id for error in Indexed._meta.get_field("secret").check()] == ["core.E001"]


@pytest.mark.django_db(transaction=True)
def test_stored_column_holds_no_plaintext():
    with isolate_apps("onewindow.core"):

        class Applicant(models.Model):  # noqa: DJ008
            id_number = EncryptedTextField()
            mobile = EncryptedTextField(null=True)

            class Meta:
                app_label = "core"
                db_table = "core_test_encrypted_applicant"

        with connection.schema_editor() as editor:
            editor.create_model(Applicant)
        try:
            applicant = Applicant.objects.create(id_number=ID_NUMBER, mobile=MOBILE)
            Applicant.objects.create(id_number="370829199001011234", mobile=None)

            with connection.cursor() as cursor:
                cursor.execute(f"SELECT id_number, mobile FROM {Applicant._meta.db_table} ORDER BY id")
                rows = cursor.fetchall()
            assert rows[1][1] is None
            stored_id, stored_mobile = rows[0]
            assert crypto.is_token(stored_id) and crypto.is_token(stored_mobile)
            assert ID_NUMBER not in stored_id and MOBILE not in stored_mobile
            assert "19491231" not in stored_id

            loaded = Applicant.objects.get(pk=applicant.pk)
            assert (loaded.id_number, loaded.mobile) == (ID_NUMBER, MOBILE)
            assert Applicant.objects.filter(mobile__isnull=True).count() == 1

            # Not searchable: an equality lookup is an error, not a silent empty result.
            with pytest.raises(FieldError):
                list(Applicant.objects.filter(id_number=ID_NUMBER))
            with pytest.raises(FieldError):
                list(Applicant.objects.filter(mobile__contains="138"))

            Applicant.objects.filter(pk=applicant.pk).update(mobile="13900001111")
            assert Applicant.objects.get(pk=applicant.pk).mobile == "13900001111"

            # dumpdata writes tokens; loaddata reads them back.
            dumped = serializers.serialize("json", [loaded])
            assert ID_NUMBER not in dumped and "sm4gcm1:" in dumped
            dumped_value = json.loads(dumped)[0]["fields"]["id_number"]
            assert Applicant._meta.get_field("id_number").to_python(dumped_value) == ID_NUMBER
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Applicant)
