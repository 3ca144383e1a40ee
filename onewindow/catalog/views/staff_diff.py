"""Field-by-field comparison of two guide versions (动态调整 history), with Chinese labels.

Compares GuideSpec dicts, so it shows exactly what a citizen would read differently. Materials,
procedures and FAQ are matched by name/question, route stages by position.
"""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.catalog.models import (
    DelegationMode,
    ExerciseLevel,
    GuideMaterial,
    GuideVersion,
    HandlingType,
    ItemKind,
    ItemSource,
    MaterialForm,
    MaterialSource,
    WindowCategory,
)
from onewindow.catalog.spec import SCALAR_FIELDS, GuideSpec
from onewindow.org.models import BusinessCategory, Department

_CHOICES = {
    "kind": ItemKind,
    "source": ItemSource,
    "delegation_mode": DelegationMode,
    "handling_type": HandlingType,
    "window_category": WindowCategory,
    "form": MaterialForm,
}
_MATERIAL_FIELDS = ["form", "copies", "source", "required", "deficiency_allowed", "note", "sample_file", "blank_file"]
_FILE_FIELDS = {"sample_file", "blank_file", "result_sample"}
EMPTY = "（空）"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def scalar_label(name: str) -> str:
    return str(GuideVersion._meta.get_field(name).verbose_name)


def _material_label(name: str) -> str:
    return str(GuideMaterial._meta.get_field(name).verbose_name)


class _Names:
    """Code → name of departments and categories, loaded once per comparison."""

    def __init__(self):
        self.departments = dict(Department.objects.filter(town__isnull=True).values_list("code", "name"))
        self.categories = dict(BusinessCategory.objects.values_list("code", "name"))


def _show(name: str, value, names: _Names) -> str:
    if value in (None, "", []):
        return EMPTY
    if name in _FILE_FIELDS:
        return "已上传"
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "source" and value in MaterialSource.values and value not in ItemSource.values:
        return MaterialSource(value).label
    if name in _CHOICES and value in _CHOICES[name].values:
        return _CHOICES[name](value).label
    if name == "exercise_levels":
        return "、".join(ExerciseLevel(v).label if v in ExerciseLevel.values else v for v in value)
    if name == "process_steps":
        return " → ".join(value)
    if name == "source_department":
        return names.departments.get(value, value)
    if name == "business_category":
        return names.categories.get(value, value)
    return str(value)


def _file_change(name, before, after) -> tuple[str, str] | None:
    if before == after:
        return None
    return ("已上传" if before else "无"), ("已更换" if before and after else "已上传" if after else "已删除")


def _material_summary(m: dict) -> str:
    parts = [MaterialForm(m["form"]).label if m["form"] in MaterialForm.values else m["form"], f"{m['copies']}份"]
    parts.append("必要" if m["required"] else "非必要")
    if m["deficiency_allowed"]:
        parts.append("可容缺")
    return f"{m['name']}（{'，'.join(parts)}）"


def _keyed_lists(label, before: list[dict], after: list[dict], key, summary, compare):
    changes = []
    old = {key(x): x for x in before}
    new = {key(x): x for x in after}
    for k, item in new.items():
        if k not in old:
            changes.append(Change(f"{label}（新增）", EMPTY, summary(item)))
        else:
            changes.extend(compare(k, old[k], item))
    for k, item in old.items():
        if k not in new:
            changes.append(Change(f"{label}（删除）", summary(item), EMPTY))
    common_old = [k for k in old if k in new]
    common_new = [k for k in new if k in old]
    if common_old != common_new:
        changes.append(Change(f"{label}顺序", "、".join(map(str, common_old)), "、".join(map(str, common_new))))
    return changes


def diff_specs(before: GuideSpec | None, after: GuideSpec) -> list[Change]:
    """What changed from `before` to `after`; every element when there is no `before`."""
    names = _Names()
    old = before.as_dict() if before else {}
    new = after.as_dict()
    changes: list[Change] = []
    for name in SCALAR_FIELDS:
        a, b = old.get(name), new.get(name)
        if before is not None and a == b:
            continue
        if name in _FILE_FIELDS:
            shown = _file_change(name, a, b)
            if shown:
                changes.append(Change(scalar_label(name), *shown))
            continue
        changes.append(Change(scalar_label(name), _show(name, a, names), _show(name, b, names)))

    def material_compare(k, m_old, m_new):
        rows = []
        for field in _MATERIAL_FIELDS:
            if m_old[field] == m_new[field]:
                continue
            label = f"申请材料“{k}”·{_material_label(field)}"
            if field in _FILE_FIELDS:
                rows.append(Change(label, *_file_change(field, m_old[field], m_new[field])))
            else:
                rows.append(Change(label, _show(field, m_old[field], names), _show(field, m_new[field], names)))
        return rows

    changes += _keyed_lists(
        "申请材料", old.get("materials", []), new["materials"], lambda m: m["name"], _material_summary, material_compare
    )

    def procedure_summary(p):
        counted = "计入时限" if p["counted_in_limit"] else "不计入时限"
        return f"{p['name']}（{p['limit_days']}个工作日，{counted}）{p['note']}"

    def procedure_compare(k, p_old, p_new):
        if p_old == p_new:
            return []
        return [Change(f"特别程序“{k}”", procedure_summary(p_old), procedure_summary(p_new))]

    changes += _keyed_lists(
        "特别程序",
        old.get("special_procedures", []),
        new["special_procedures"],
        lambda p: p["name"],
        procedure_summary,
        procedure_compare,
    )

    def stage_summary(s):
        departments = "、".join(s["department_codes"])
        joint = "，联合审批" if len(s["department_codes"]) > 1 else ""
        return f"{s['name']}（{departments}{joint}，{s['limit_days']}个工作日）"

    def stage_compare(k, s_old, s_new):
        return [] if s_old == s_new else [Change(f"审批环节{k}", stage_summary(s_old), stage_summary(s_new))]

    # A joint stage's departments review in parallel: their order is not a change.
    old_stages = [
        dict(s, step=i + 1, department_codes=sorted(s["department_codes"])) for i, s in enumerate(old.get("stages", []))
    ]
    new_stages = [
        dict(s, step=i + 1, department_codes=sorted(s["department_codes"])) for i, s in enumerate(new["stages"])
    ]
    changes += _keyed_lists(
        "审批环节",
        old_stages,
        new_stages,
        lambda s: f"第{s['step']}步",
        stage_summary,
        stage_compare,
    )

    def faq_compare(k, f_old, f_new):
        return [] if f_old == f_new else [Change(f"常见问题“{k}”", f_old["answer"], f_new["answer"])]

    changes += _keyed_lists(
        "常见问题",
        old.get("faq", []),
        new["faq"],
        lambda f: f["question"],
        lambda f: f"{f['question']} —— {f['answer']}",
        faq_compare,
    )
    return changes
