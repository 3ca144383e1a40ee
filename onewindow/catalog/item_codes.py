"""Implementation codes (实施编码) of service items: what one may look like on its own.

Whether a code is already taken is the services' question; these checks need no database, so the
Excel import can point at the cell before anything is planned.
"""

from __future__ import annotations

import re

ITEM_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_.]{1,63}$")
# Path segments the public site uses beside /guide/<town>/<item code>/.
RESERVED_ITEM_CODES = frozenset({"qr-wall", "documents", "search", "files"})


def item_code_problem(code: str) -> str | None:
    """The Chinese message for a malformed or reserved code, or None."""
    if not ITEM_CODE_RE.match(code or ""):
        return "实施编码应为2到64位字母、数字或“-”“_”“.”，以字母或数字开头"
    if code.lower() in RESERVED_ITEM_CODES:
        return f"“{code}”是系统保留的地址，不能用作实施编码"
    return None
