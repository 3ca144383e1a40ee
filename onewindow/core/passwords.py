"""Password rule required by 等保 2.0: letters and digits, at least three character classes of four."""

import re

from django.core.exceptions import ValidationError

_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z0-9]"))


class CharacterClassValidator:
    def validate(self, password, user=None):
        if sum(1 for pattern in _CLASSES if pattern.search(password)) < 3:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"
