"""国密 helpers: SM4-GCM encryption of PII at rest, SM3 blind indexes and digests.

All primitives come from the `cryptography` package (OpenSSL); nothing here implements a cipher.

Keys. settings.ONEWINDOW_PII_KEY (64 hex characters, 256 bits) is a master key that is never
used directly: HKDF-SM3 derives, with separate `info` strings, a 128-bit SM4 encryption key,
one HMAC-SM3 key per blind-index purpose and a short public key id. Derived keys are cached
per master key, so overriding the setting (tests) picks up new keys without clearing anything;
clear_key_cache() exists for callers that want the memory gone.

Token format: ``sm4gcm1:<key id>:<base64(nonce | ciphertext | tag)>``, ASCII, fits a TEXT column.
The version and key id are bound as GCM associated data, so neither can be swapped unnoticed.

Rotating the master key:
1. Generate a new key (``python -c "import secrets; print(secrets.token_hex(32))"``).
2. Deploy with ONEWINDOW_PII_KEY = new key and ONEWINDOW_PII_OLD_KEYS = [old key]
   (settings reads the latter as a list of hex keys). New writes use the new key; tokens under
   the old key still decrypt, because each token names its key id.
3. Re-encrypt stored tokens (load and save each row; needs_rotation(token) tells which) and
   recompute every blind index: blind indexes are keyed by the current master key only, so
   equality lookups miss rows until their index is recomputed — do it in the same maintenance
   window, before taking traffic.
4. When no token names the old key id, drop the old key from ONEWINDOW_PII_OLD_KEYS.
"""

import base64
import binascii
import functools
import os
import re
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from onewindow.core import pii

TOKEN_VERSION = "sm4gcm1"
_NONCE_BYTES = 12
_TAG_BYTES = 16
_KEY_HEX = re.compile(r"[0-9a-fA-F]{64}")
_PURPOSE = re.compile(r"[a-z][a-z0-9_]{0,63}")

# Domain separation: each derived key has its own HKDF info string.
_INFO_ENCRYPTION = b"onewindow/pii/sm4-gcm/v1"
_INFO_KEY_ID = b"onewindow/pii/key-id/v1"
_INFO_BLIND_INDEX = b"onewindow/pii/blind-index/v1/"  # + purpose


class DecryptionError(Exception):
    """A PII token could not be decrypted: malformed, tampered with, or under an unknown key."""


@dataclass(frozen=True)
class _KeySet:
    key_id: str
    encryption_key: bytes


def _hkdf(master: bytes, *, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=info).derive(master)


def _master_bytes(key_hex: str) -> bytes:
    if not isinstance(key_hex, str) or not _KEY_HEX.fullmatch(key_hex):
        raise ImproperlyConfigured("ONEWINDOW_PII_KEY (and ONEWINDOW_PII_OLD_KEYS) must be 64 hex characters")
    return bytes.fromhex(key_hex)


@functools.lru_cache(maxsize=16)
def _key_set(key_hex: str) -> _KeySet:
    master = _master_bytes(key_hex)
    return _KeySet(
        # A fingerprint, not the key: 8 hex characters tell keys apart without revealing them.
        key_id=_hkdf(master, info=_INFO_KEY_ID, length=4).hex(),
        encryption_key=_hkdf(master, info=_INFO_ENCRYPTION, length=16),
    )


@functools.lru_cache(maxsize=64)
def _blind_index_key(key_hex: str, purpose: str) -> bytes:
    return _hkdf(_master_bytes(key_hex), info=_INFO_BLIND_INDEX + purpose.encode(), length=32)


def clear_key_cache() -> None:
    _key_set.cache_clear()
    _blind_index_key.cache_clear()


def _current() -> _KeySet:
    return _key_set(settings.ONEWINDOW_PII_KEY)


def _key_ring() -> dict[str, _KeySet]:
    old_keys = getattr(settings, "ONEWINDOW_PII_OLD_KEYS", ()) or ()
    if isinstance(old_keys, str):
        old_keys = [key for key in old_keys.split(",") if key.strip()]
    ring = {keys.key_id: keys for keys in map(_key_set, (key.strip() for key in old_keys))}
    current = _current()
    ring[current.key_id] = current
    return ring


def current_key_id() -> str:
    return _current().key_id


# --- Encryption -------------------------------------------------------------------------------


def _associated_data(key_id: str) -> bytes:
    return f"{TOKEN_VERSION}:{key_id}".encode()


def encrypt_pii(plaintext: str) -> str:
    """SM4-GCM under the current key with a fresh random nonce: equal inputs give different tokens."""
    if not isinstance(plaintext, str):
        raise TypeError("encrypt_pii takes a str")
    keys = _current()
    nonce = os.urandom(_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keys.encryption_key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_associated_data(keys.key_id))
    ciphertext = encryptor.update(plaintext.encode()) + encryptor.finalize()
    body = base64.b64encode(nonce + ciphertext + encryptor.tag).decode("ascii")
    return f"{TOKEN_VERSION}:{keys.key_id}:{body}"


def _parse(token: str) -> tuple[str, bytes, bytes, bytes]:
    try:
        version, key_id, body = token.split(":")
    except (AttributeError, ValueError):
        raise DecryptionError("not a PII token") from None
    if version != TOKEN_VERSION:
        raise DecryptionError(f"unsupported PII token version {version[:16]!r}")
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("PII token is not valid base64") from None
    if len(raw) < _NONCE_BYTES + _TAG_BYTES:
        raise DecryptionError("PII token is truncated")
    return key_id, raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]


def is_token(value: object) -> bool:
    """Looks like a token (cheap shape check; says nothing about authenticity)."""
    return isinstance(value, str) and value.startswith(TOKEN_VERSION + ":") and value.count(":") == 2


def decrypt_pii(token: str) -> str:
    key_id, nonce, ciphertext, tag = _parse(token)
    keys = _key_ring().get(key_id)
    if keys is None:
        raise DecryptionError(
            f"PII token is under unknown key id {key_id[:16]!r}; is the old key in ONEWINDOW_PII_OLD_KEYS?"
        )
    decryptor = Cipher(algorithms.SM4(keys.encryption_key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_associated_data(key_id))
    try:
        plaintext = decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError("PII token failed authentication: tampered with, or the wrong key") from None
    return plaintext.decode()


def needs_rotation(token: str) -> bool:
    """True when the token was written under a key other than the current one."""
    return _parse(token)[0] != current_key_id()


# --- Blind index and digests ------------------------------------------------------------------

_NORMALIZERS = {
    "id_number": pii.normalize_id_number,
    "mobile": pii.normalize_mobile,
    "credit_code": pii.normalize_credit_code,
}


def _normalize_generic(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split())


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SM3 (hex) of the normalised value under a per-purpose key, for equality lookups.

    The same ID number typed with a lower-case x or full-width digits indexes the same; the same
    string under "id_number" and "mobile" does not. Store it next to the encrypted column.
    """
    if not _PURPOSE.fullmatch(purpose):
        raise ValueError("purpose must be a short snake_case name such as 'id_number'")
    normalized = _NORMALIZERS.get(purpose, _normalize_generic)(value)
    mac = hmac.HMAC(_blind_index_key(settings.ONEWINDOW_PII_KEY, purpose), hashes.SM3())
    mac.update(normalized.encode())
    return mac.finalize().hex()


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()
