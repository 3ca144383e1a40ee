"""Case numbers and query codes.

A number is the town's 9-digit code prefix + the date + a per-town daily sequence
(37082900120261126 0001 → `370829001202611260001`). The sequence row is locked while a number is
drawn, so clerks submitting at the same moment never get the same number; the unique index on
Case.number is the last line of defence.
"""

import secrets

from django.db import transaction

from onewindow.cases.models import CaseSequence
from onewindow.core import crypto
from onewindow.core.sequences import draw_next

# No 0/O, 1/I/L: the code is read aloud over the phone and typed by elderly applicants.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8


def next_case_number(town, day) -> str:
    with transaction.atomic():
        last = draw_next(CaseSequence, town=town, day=day)
    return f"{town.code[:9]}{day:%Y%m%d}{last:04d}"


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def query_code_index(code: str) -> str:
    return crypto.blind_index(code.strip().upper(), purpose="case_query_code")
