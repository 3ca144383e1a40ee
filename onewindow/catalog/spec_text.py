"""The rules every text of a guide obeys, whatever screen or spreadsheet it comes from.

- No control characters (they break the public Excel catalog and HTTP headers, and are never typed
  on purpose); a line break only in the fields that are paragraphs (conditions, legal basis, notes,
  FAQ answers), where CR LF and CR are normalised to LF.
- No more characters than the database column holds: the limits are read from the models' own
  `max_length`, so a column widened in a migration needs no second edit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from functools import cache

from onewindow.catalog.models import GuideMaterial, GuideVersion, RouteStage, SpecialProcedure

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n?|\n")
# Entries a list may hold: far beyond any real guide, well inside the position columns.
MAX_LIST_ROWS = 200


@dataclass(frozen=True)
class TextRule:
    label: str
    max_length: int | None
    multiline: bool = False


def _column(model, name: str, *, label: str = "", multiline: bool = False) -> TextRule:
    field = model._meta.get_field(name)
    # A code list (事项类型…) is checked against its choices, which says more than a length would.
    max_length = None if field.choices else field.max_length
    return TextRule(label or str(field.verbose_name), max_length, multiline)


_MULTILINE_SCALARS = {"conditions", "legal_basis"}
_NOT_TEXT = {"result_sample"}  # a storage name set by the file service, not typed text


def _scalar_rules() -> dict[str, TextRule]:
    from onewindow.catalog.spec import GuideSpec  # spec imports this module

    names = [f.name for f in fields(GuideSpec) if f.type in ("str", str) and f.name not in _NOT_TEXT]
    rules = {name: _column(GuideVersion, name, multiline=name in _MULTILINE_SCALARS) for name in names}
    for name in ("source_department", "business_category"):  # codes of a foreign key: no column length
        rules[name] = TextRule(rules[name].label + "代码", None)
    return rules


# list attribute of GuideSpec → {field of its entries: rule}
LIST_RULES: dict[str, dict[str, TextRule]] = {
    "materials": {
        "name": _column(GuideMaterial, "name"),
        "note": _column(GuideMaterial, "note", multiline=True),
    },
    "special_procedures": {
        "name": _column(SpecialProcedure, "name"),
        "note": _column(SpecialProcedure, "note", label="特别程序说明", multiline=True),
    },
    "stages": {"name": _column(RouteStage, "name")},
    "faq": {"question": TextRule("常见问题的问题", None), "answer": TextRule("常见问题的解答", None, multiline=True)},
}
LIST_LABELS = {"materials": "申请材料", "special_procedures": "特别程序", "stages": "后台审批环节", "faq": "常见问题"}
CHANGE_NOTE_RULE = _column(GuideVersion, "change_note")
STEP_RULE = TextRule("办理流程", None)
CODE_RULE = TextRule("部门代码", None)


@cache
def _scalars() -> dict[str, TextRule]:
    return _scalar_rules()


def text_problem(value, rule: TextRule, *, what: str = "") -> str | None:
    """The Chinese message for one text breaking `rule`, or None. `what` names it (default: the label)."""
    if not isinstance(value, str):
        return None
    what = what or rule.label
    if CONTROL_CHARACTERS.search(value):
        return f"{what}含有不可见的控制字符（常见于从网页或其他系统复制的文字），请删除后重新填写"
    if not rule.multiline and ("\n" in value or "\r" in value):
        return f"{what}不能换行，请写在一行内"
    if rule.max_length and len(value) > rule.max_length:
        return f"{what}不能超过{rule.max_length}个字（现为{len(value)}个字）"
    return None


def text_errors(spec) -> dict[str, str]:
    """{path: message} for every text of `spec` that breaks its rule (paths as validate_spec's)."""
    errors: dict[str, str] = {}

    def check(path, value, rule, what=""):
        if path not in errors and (message := text_problem(value, rule, what=what)):
            errors[path] = message

    for name, rule in _scalars().items():
        check(name, getattr(spec, name), rule)
    for index, step in enumerate(spec.process_steps or []):
        check("process_steps", step, STEP_RULE, f"办理流程第{index + 1}步")
    for level in spec.exercise_levels or []:
        check("exercise_levels", level, TextRule("行使层级", None))
    for key, rules in LIST_RULES.items():
        entries = getattr(spec, key) or []
        if len(entries) > MAX_LIST_ROWS:
            errors.setdefault(key, f"{LIST_LABELS[key]}不能超过{MAX_LIST_ROWS}项")
        for index, entry in enumerate(entries):
            for name, rule in rules.items():
                check(f"{key}[{index}].{name}", getattr(entry, name, None), rule)
    for index, stage in enumerate(spec.stages or []):
        for code in stage.department_codes or []:
            check(f"stages[{index}].department_codes", code, CODE_RULE)
    return errors


def _lf(value):
    return _LINE_BREAK.sub("\n", value) if isinstance(value, str) else value


def normalize_line_breaks(spec):
    """`spec` with CR LF and CR turned into LF in its multi-line fields (what a browser's textarea sends)."""
    changes = {name: _lf(getattr(spec, name)) for name, rule in _scalars().items() if rule.multiline}
    for key, rules in LIST_RULES.items():
        multiline = [name for name, rule in rules.items() if rule.multiline]
        changes[key] = [replace(e, **{n: _lf(getattr(e, n)) for n in multiline}) for e in getattr(spec, key)]
    return replace(spec, **changes)
