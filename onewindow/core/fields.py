"""Model fields that keep PII encrypted at rest (等保: 个人信息 SM4 加密存储)."""

from django.core import checks
from django.db import models

from onewindow.core import crypto


class EncryptedTextField(models.TextField):
    """Stores an SM4-GCM token (see onewindow.core.crypto); Python code sees the plaintext.

    Not searchable: every save writes a fresh random nonce, so the column cannot be compared,
    indexed or made unique. Only ``__isnull`` lookups are allowed; any other lookup raises
    FieldError instead of silently matching nothing. To find a row by value, store
    ``crypto.blind_index(value, purpose=...)`` in a separate indexed column and filter on that.
    Ordering by this column orders by ciphertext, i.e. meaninglessly.

    Serialization (dumpdata) writes tokens, never plaintext; loaddata decrypts them again.
    """

    description = "Text encrypted at rest with SM4-GCM"

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index or self.primary_key:
            errors.append(
                checks.Error(
                    "EncryptedTextField cannot be unique, indexed or a primary key: its ciphertext is "
                    "random. Index a blind-index column instead.",
                    obj=self,
                    id="core.E001",
                )
            )
        return errors

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, name):
        return None

    def to_python(self, value):
        if crypto.is_token(value):
            return crypto.decrypt_pii(value)
        return super().to_python(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt_pii(value)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return crypto.decrypt_pii(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return None if value is None else crypto.encrypt_pii(str(value))
