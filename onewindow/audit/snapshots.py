"""Turning model values into the plain JSON an audit event stores and hashes.

The stored JSON must read back exactly as it was hashed, on SQLite and on PostgreSQL (jsonb), so
only str, int, bool, None, lists and str-keyed dicts go in. Floats become strings like Decimals:
jsonb rewrites some of them (1e16 reads back as an integer), which would break the hash.
"""

import datetime
import ipaddress
import uuid
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.duration import duration_iso_string

JSONValue = str | int | bool | None | list["JSONValue"] | dict[str, "JSONValue"]


def jsonable(value) -> JSONValue:
    """A JSON-safe copy of value; TypeError for anything that has no obvious JSON form."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, uuid.UUID | ipaddress.IPv4Address | ipaddress.IPv6Address):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return jsonable(value.pk)
    if isinstance(value, dict):
        return {_key(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(item) for item in value), key=repr)
    raise TypeError(f"audit before/after cannot hold {type(value).__name__}; convert it with snapshot()")


def _key(key) -> str:
    if isinstance(key, str):
        return str(key)
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    raise TypeError(f"audit before/after keys must be strings, got {type(key).__name__}")


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, JSONValue]:
    """The named fields of instance as JSON: dates as ISO strings, Decimals as strings, a foreign
    key as the related id (key: the field name), a many-to-many as the sorted list of ids."""
    result = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            value = sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
        elif field.is_relation:
            value = getattr(instance, field.attname)
        else:
            value = field.value_from_object(instance)
        result[name] = jsonable(value)
    return result
