"""The catalog's Excel template: its sheets and columns, and how each cell is written and read.

This module is the one source of truth for the workbook: the exporter writes with `format_cell`, the
importer reads with `parse_cell`, the 说明 sheet and docs/catalog-excel-template.md describe the same
columns. Columns are found by header text, so users may reorder them; errors name the cell the user sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db.models import TextChoices

from onewindow.catalog.models import (
    DelegationMode,
    ExerciseLevel,
    HandlingType,
    ItemKind,
    ItemSource,
    MaterialForm,
    MaterialSource,
    WindowCategory,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = getattr(settings, "ONEWINDOW_CATALOG_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# A 5 MB zip can inflate a hundredfold; refuse before openpyxl builds it in memory.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ERRORS = 500

YES, NO = "是", "否"
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "对"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "✘", "不"}
_SPLIT_RE = re.compile(r"[、,，;；/\s]+")
_INT_RE = re.compile(r"^[+-]?\d+$")

TEXT, INT, BOOL, CHOICE, CHOICES, LINES, CODES = "text", "int", "bool", "choice", "choices", "lines", "codes"


class CellValueError(ValueError):
    """A cell that cannot be read as its column's type; the message is shown to the user."""


@dataclass(frozen=True)
class Column:
    key: str  # a GuideSpec / MaterialSpec… field, or an import key (code, owner_town, position, town, window…)
    header: str
    kind: str = TEXT
    choices: type[TextChoices] | None = None
    label: str = ""  # the name used in error messages (the header without its unit)
    required: bool = False  # the cell must be filled; content rules are GuideSpec's (validate_spec)
    default: object = None  # the value of an empty cell, when there is one
    reference: bool = False  # written for readers, ignored on import, may be deleted
    width: int = 16
    hint: str = ""

    @property
    def name(self) -> str:
        return self.label or self.header


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]
    max_rows: int
    list_key: str = ""  # the GuideSpec list its rows make up (materials, stages…)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.columns)


def _code(**kw) -> Column:
    return Column("code", "实施编码", required=True, width=22, hint="事项的实施编码，字母、数字或“-”“_”“.”", **kw)


def _item_name() -> Column:
    return Column("item_name", "事项名称（参考）", reference=True, width=24, hint="仅供阅读，导入时忽略")


def _position(**kw) -> Column:
    return Column("position", "序号", INT, required=True, width=8, hint="同一事项内从1开始的整数，决定显示顺序", **kw)


def _days(key, header, label, **kw) -> Column:
    kw.setdefault("hint", "工作日，整数")
    return Column(key, header, INT, label=label, required=True, width=12, **kw)


ITEMS = Sheet(
    "事项",
    (
        _code(),
        Column("owner_town", "所属镇街区划代码", width=18, hint="12位区划代码；空白表示全县通用事项"),
        Column("name", "事项名称", width=28),
        Column("kind", "事项类型", CHOICE, ItemKind),
        Column("source", "事项来源", CHOICE, ItemSource, width=22),
        Column("delegation_mode", "放权方式", CHOICE, DelegationMode, hint="县直部门下放事项必填，其他事项留空"),
        Column("source_department", "县直主管部门代码", width=16, hint="县直部门代码，如 market"),
        Column("exercise_levels", "行使层级", CHOICES, ExerciseLevel, width=18, hint="可填多个，用“、”分隔"),
        Column("implementing_body", "实施主体", width=20),
        Column("accepting_unit", "受理单位", width=20),
        Column("handling_type", "办件类型", CHOICE, HandlingType, width=10),
        _days("legal_limit_days", "法定办结时限（工作日）", "法定办结时限"),
        _days("promised_limit_days", "承诺办结时限（工作日）", "承诺办结时限", hint="不超过法定时限；即办件为0"),
        Column("conditions", "受理条件", width=40),
        Column("legal_basis", "设定依据", width=40),
        Column("process_steps", "办理流程", LINES, width=30, hint="每步一行（单元格内换行：Alt+Enter）"),
        Column("fee_free", "是否免费", BOOL, default=True, width=10, hint="空白为“是”；“否”须填收费标准和依据"),
        Column("fee_standard", "收费标准", width=20, hint="收费事项必填"),
        Column("fee_basis", "收费依据", width=20, hint="收费事项必填"),
        Column("result_name", "办理结果名称", width=20),
        Column("results_public", "办理结果公示", BOOL, default=False, width=10, hint="空白为“否”；“是”则公示结果"),
        Column("place", "办理地点", width=24),
        Column("hours", "办理时间", width=24),
        Column("consult_phone", "咨询电话", width=16),
        Column("complaint_phone", "监督投诉电话", width=16),
        Column("visits_needed", "到现场次数", INT, default=1, width=10, hint="0到5的整数，空白为1"),
        Column("online_capable", "可网上办理", BOOL, default=False, width=10, hint="空白为“否”"),
        Column("proxy_capable", "可帮办代办", BOOL, default=False, width=10, hint="空白为“否”"),
        Column("window_category", "窗口类别", CHOICE, WindowCategory, width=12),
        Column("business_category", "业务类别代码", width=16, hint="业务类别代码，如 medical_insurance；可空"),
        Column("keywords", "关键词", width=20, hint="便于检索的别称，用逗号分隔"),
    ),
    max_rows=5000,
)

MATERIALS = Sheet(
    "申请材料",
    (
        _code(),
        _item_name(),
        _position(),
        Column("name", "材料名称", label="材料名称", width=28),
        Column("form", "材料形式", CHOICE, MaterialForm, width=14),
        Column("copies", "份数", INT, default=1, width=8, hint="1到99，空白为1"),
        Column("source", "材料来源", CHOICE, MaterialSource, width=14),
        Column("required", "必要材料", BOOL, default=True, width=10, hint="空白为“是”"),
        Column("deficiency_allowed", "可容缺", BOOL, default=False, width=10, hint="只有必要材料可容缺；空白为“否”"),
        Column("note", "填报说明", width=30),
    ),
    max_rows=50000,
    list_key="materials",
)

STAGES = Sheet(
    "审批环节",
    (
        _code(),
        _item_name(),
        _position(),
        Column("name", "环节名称", width=20),
        Column("department_codes", "部门代码", CODES, width=22, hint="多个部门用“、”分隔，表示联合（并联）审批"),
        _days("limit_days", "环节时限（工作日）", "环节时限"),
    ),
    max_rows=50000,
    list_key="stages",
)

PROCEDURES = Sheet(
    "特别程序",
    (
        _code(),
        _item_name(),
        _position(),
        Column("name", "特别程序名称", width=20),
        _days("limit_days", "时限（工作日）", "特别程序时限"),
        Column("counted_in_limit", "计入办结时限", BOOL, default=False, width=12, hint="空白为“否”"),
        Column("note", "说明", width=30),
    ),
    max_rows=50000,
    list_key="special_procedures",
)

FAQ = Sheet(
    "常见问题",
    (_code(), _item_name(), _position(), Column("question", "问题", width=36), Column("answer", "解答", width=50)),
    max_rows=50000,
    list_key="faq",
)

CATALOG = Sheet(
    "镇街目录",
    (
        Column("town", "镇街区划代码", required=True, width=16, hint="12位区划代码"),
        Column("town_name", "镇街名称（参考）", reference=True, width=14, hint="仅供阅读，导入时忽略"),
        _code(),
        _item_name(),
        Column("window", "窗口号", INT, width=8, hint="本镇街为民服务中心的窗口号；可空"),
        Column("is_published", "是否公布", BOOL, default=False, width=10, hint="“是”向群众公布；空白为“否”"),
    ),
    max_rows=50000,
)

README_TITLE = "说明"
DATA_SHEETS = (ITEMS, MATERIALS, STAGES, PROCEDURES, FAQ, CATALOG)
CHILD_SHEETS = (MATERIALS, STAGES, PROCEDURES, FAQ)


# -- writing ---------------------------------------------------------------------------------------------------


def _label_of(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return str(value)  # not a known code: written as is, the importer will report it


def format_cell(column: Column, value):
    """The cell value the exporter writes for `value`."""
    if column.kind == BOOL:
        return YES if value else NO
    if column.kind == CHOICE:
        return _label_of(column.choices, value) if value else None
    if column.kind == CHOICES:
        return "、".join(_label_of(column.choices, v) for v in value) or None
    if column.kind == LINES:
        return "\n".join(value) or None
    if column.kind == CODES:
        return "、".join(value) or None
    if column.kind == INT:
        return value
    return value if value not in ("", None) else None


def allowed_values(column: Column) -> str:
    """The values a column accepts, in words (for the 说明 sheet, the docs and error messages)."""
    if column.kind == BOOL:
        return "是 / 否"
    if column.kind in (CHOICE, CHOICES):
        return "、".join(column.choices.labels)
    if column.kind == INT:
        return "整数"
    return ""


# -- reading ---------------------------------------------------------------------------------------------------


def is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # Excel keeps numbers as floats: a phone or code typed as a number
    return str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()


def _int(column: Column, raw) -> int:
    if isinstance(raw, bool):
        raise CellValueError(f"{column.name}应为整数")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = _text(raw)
    if _INT_RE.match(text):
        return int(text)
    raise CellValueError(f"{column.name}应为整数，“{text}”不是整数")


def _bool(column: Column, raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellValueError(f"{column.name}应填写“是”或“否”，不能填写“{_text(raw)}”")


@cache
def _choice_map(choices: type[TextChoices]) -> dict[str, str]:
    """Every accepted spelling → the code: the label, the code in any case, a type code without its 0."""
    spellings = {}
    for value, label in choices.choices:
        spellings.update({label: value, value.lower(): value, value.lstrip("0"): value})
    return spellings


def _choice(column: Column, text: str) -> str:
    """A label or a code → the code; anything else is passed on for validate_spec to report."""
    return _choice_map(column.choices).get(text) or _choice_map(column.choices).get(text.lower(), text)


def parse_cell(column: Column, raw):
    """The value of one cell; raises CellValueError with a Chinese message naming the column."""
    if is_empty(raw):
        if column.default is not None:
            return column.default
        if column.required:
            raise CellValueError(f"请填写{column.name}")
        if column.kind == INT:
            return None
        return [] if column.kind in (CHOICES, LINES, CODES) else ""
    if column.kind == INT:
        return _int(column, raw)
    if column.kind == BOOL:
        return _bool(column, raw)
    text = _text(raw)
    if column.kind == CHOICE:
        return _choice(column, text)
    if column.kind == CHOICES:
        return [_choice(column, part) for part in _SPLIT_RE.split(text) if part]
    if column.kind == CODES:
        return [part for part in _SPLIT_RE.split(text) if part]
    if column.kind == LINES:
        return [line.strip() for line in text.split("\n") if line.strip()]
    return text


def canonical(column: Column, value):
    """`value` as it comes back after a trip through a cell: what "unchanged" is compared on."""
    try:
        return parse_cell(column, format_cell(column, value))
    except CellValueError:
        return value


def normalize_header(text) -> str:
    text = _text(text)
    return re.sub(r"\s+", "", text.replace("(", "（").replace(")", "）"))
