"""The guide editing form: form data ↔ GuideSpec, and service errors back onto the right field.

The forms only parse (text, whole numbers, choices); every rule lives in spec.validate_spec and the
services. A ValidationFailed from a service carries paths like `materials[2].name`; GuideEditor
remembers which form row became which list entry, so each message lands next to the row the user
typed it in, and the bound forms keep everything typed.
"""

from __future__ import annotations

import re
from dataclasses import asdict

from django import forms
from django.db.models import Q

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
from onewindow.catalog.spec import SCALAR_FIELDS, FaqSpec, GuideSpec, MaterialSpec, ProcedureSpec, StageSpec
from onewindow.org.models import BusinessCategory, Department, Region

_BLANK = [("", "（请选择）")]
_NONE = [("", "（无）")]


def _text(label, *, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text)


def _days(label, help_text="工作日"):
    return forms.IntegerField(label=label, required=False, help_text=help_text, widget=forms.NumberInput)


def _flag(label, help_text=""):
    return forms.BooleanField(label=label, required=False, help_text=help_text)


class GuideForm(forms.Form):
    """Every scalar element of a guide, plus the code and owner when an item is created."""

    code = _text("实施编码", help_text="2到64位字母、数字或“-”“_”“.”，创建后不能修改")
    owner_town = forms.ChoiceField(label="适用范围", required=False)
    change_note = _text("调整说明", help_text="说明本版改了什么（动态调整记录），如“压缩承诺时限”")
    # 基本信息
    name = _text("事项名称")
    kind = forms.ChoiceField(label="事项类型", choices=_BLANK + ItemKind.choices, required=False)
    source = forms.ChoiceField(label="事项来源", choices=_BLANK + ItemSource.choices, required=False)
    delegation_mode = forms.ChoiceField(
        label="放权方式", choices=_NONE + DelegationMode.choices, required=False, help_text="县直部门下放事项必填"
    )
    source_department = forms.ChoiceField(label="县直主管部门", required=False, help_text="县直部门下放事项必填")
    exercise_levels = forms.MultipleChoiceField(
        label="行使层级", choices=ExerciseLevel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    implementing_body = _text("实施主体")
    accepting_unit = _text("受理单位")
    business_category = forms.ChoiceField(label="业务类别", required=False)
    window_category = forms.ChoiceField(label="窗口类别", choices=_BLANK + WindowCategory.choices, required=False)
    keywords = _text("关键词", help_text="用逗号分隔，便于群众搜索，如“低保, 低保申请”")
    # 时限
    handling_type = forms.ChoiceField(label="办件类型", choices=_BLANK + HandlingType.choices, required=False)
    legal_limit_days = _days("法定办结时限")
    promised_limit_days = _days("承诺办结时限", "工作日；不能超过法定时限；即办件填0")
    # 条件与依据
    conditions = _text("受理条件", rows=4)
    legal_basis = _text("设定依据", rows=3)
    # 流程
    process_steps = _text("办理流程", rows=5, help_text="每行写一步，如“申请”“受理”“审核”“办结”")
    # 收费
    fee_free = _flag("不收费")
    fee_standard = _text("收费标准", help_text="收费事项必填")
    fee_basis = _text("收费依据", help_text="收费事项必填")
    # 结果
    result_name = _text("办理结果名称")
    results_public = _flag("办理结果公示", "办结后在本镇街结果公示栏公布事项、申请人（个人姓名脱敏）、日期和结果")
    # 地点与电话
    place = _text("办理地点")
    hours = _text("办理时间")
    consult_phone = _text("咨询电话")
    complaint_phone = _text("监督投诉电话")
    # 服务方式
    visits_needed = forms.IntegerField(label="到现场次数", required=False, help_text="0到5次")
    online_capable = _flag("可网上办理")
    proxy_capable = _flag("可帮办代办", "村级代办员可代为申请")

    def __init__(self, *args, creating=False, towns=None, county_departments=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]
        if towns is None:
            del self.fields["owner_town"]
        else:
            self.fields["owner_town"].choices = [("", "全县通用事项（各镇街可纳入目录）")] + [
                (t.code, f"{t.name}特色事项") for t in towns
            ]
        departments = [(d.code, f"{d.name}（{d.code}）") for d in county_departments]
        self.fields["source_department"].choices = _NONE + departments
        self.fields["business_category"].choices = _NONE + [(c.code, c.name) for c in categories]


class MaterialRowForm(forms.Form):
    name = _text("材料名称")
    form = forms.ChoiceField(label="材料形式", choices=MaterialForm.choices, initial=MaterialForm.ORIGINAL_AND_COPY)
    copies = forms.IntegerField(label="份数", required=False, initial=1)
    source = forms.ChoiceField(label="材料来源", choices=MaterialSource.choices, initial=MaterialSource.APPLICANT)
    required = _flag("必要材料")
    deficiency_allowed = _flag("可容缺")
    note = _text("填报说明")
    # Which material of the version being edited this row started as: its uploaded files follow it.
    origin = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required"].initial = True


class ProcedureRowForm(forms.Form):
    name = _text("特别程序名称", help_text="如公示、听证、现场勘查")
    limit_days = _days("时限")
    counted_in_limit = _flag("计入办结时限")
    note = _text("说明")


class DepartmentCodesField(forms.MultipleChoiceField):
    """The departments of a stage. Any code is taken as typed: whether it exists, county-wide or in the
    owner town, is validate_spec's and the services' to say, with a message naming the code (Django's
    own "选择一个有效的选项" would not say which department is missing where)."""

    def valid_value(self, value):
        return isinstance(value, str)


class StageRowForm(forms.Form):
    name = _text("环节名称")
    limit_days = _days("环节时限")
    department_codes = DepartmentCodesField(
        label="审批部门",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="选多个部门即为联合（并联）审批",
    )

    def __init__(self, *args, department_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department_codes"].choices = department_choices


class FaqRowForm(forms.Form):
    question = _text("问题")
    answer = _text("解答", rows=2)


# formset prefix → (row form, spec list attribute, section title)
ROWS = {
    "procedures": (ProcedureRowForm, "special_procedures", "特别程序"),
    "stages": (StageRowForm, "stages", "后台审批环节"),
    "materials": (MaterialRowForm, "materials", "申请材料"),
    "faq": (FaqRowForm, "faq", "常见问题"),
}
_SPEC_LIST_TO_PREFIX = {attr: prefix for prefix, (_, attr, _) in ROWS.items()}
_ROW_PATH = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?$")

# (legend, anchor, scalar fields, formset prefix or None)
FIELDSETS = [
    ("基本信息", "fs-basic", ["code", "owner_town", "name", "kind", "source", "delegation_mode", "source_department",
                             "exercise_levels", "implementing_body", "accepting_unit", "business_category",
                             "window_category", "keywords"], None),
    ("时限", "fs-limits", ["handling_type", "legal_limit_days", "promised_limit_days"], "procedures"),
    ("条件与依据", "fs-conditions", ["conditions", "legal_basis"], None),
    ("流程与审批环节", "fs-process", ["process_steps"], "stages"),
    ("申请材料", "fs-materials", [], "materials"),
    ("收费", "fs-fees", ["fee_free", "fee_standard", "fee_basis"], None),
    ("结果", "fs-result", ["result_name", "results_public"], None),
    ("地点与电话", "fs-place", ["place", "hours", "consult_phone", "complaint_phone"], None),
    ("服务方式", "fs-service", ["visits_needed", "online_capable", "proxy_capable"], None),
    ("常见问题", "fs-faq", [], "faq"),
    ("本次调整", "fs-note", ["change_note"], None),
]  # fmt: skip


def department_choices(owner_town: Region | None, keep=()) -> list[tuple[str, str]]:
    """Department codes a route may name: the town's and the county's for a town's own item, every
    active code for a county-wide one (each town resolves it to its own office). Codes already on
    the guide (`keep`) stay selectable so an outdated one shows up and is reported, not dropped."""
    departments = Department.objects.filter(is_active=True)
    if owner_town is not None:
        departments = departments.filter(Q(town=owner_town) | Q(town__isnull=True))
    names: dict[str, list[str]] = {}
    for code, name in departments.order_by("code", "town__code").values_list("code", "name"):
        if name not in names.setdefault(code, []):
            names[code].append(name)
    for code in keep:
        names.setdefault(code, ["已停用或不存在" if owner_town is None else "已停用或不属于本镇街"])
    return [(code, f"{'／'.join(labels[:3])}（{code}）") for code, labels in sorted(names.items())]


def initial_from_spec(spec: GuideSpec) -> tuple[dict, dict[str, list[dict]]]:
    """(form initial, {formset prefix: row initials}) for editing `spec`."""
    initial = {name: getattr(spec, name) for name in SCALAR_FIELDS}
    initial["process_steps"] = "\n".join(spec.process_steps)
    rows = {
        "materials": [{**asdict(m), "origin": i} for i, m in enumerate(spec.materials)],
        "procedures": [asdict(p) for p in spec.special_procedures],
        "stages": [asdict(s) for s in spec.stages],
        "faq": [asdict(f) for f in spec.faq],
    }
    return initial, rows


class GuideEditor:
    """The guide form and its four row formsets, edited and validated as one page."""

    def __init__(self, *, data=None, spec=None, creating=False, towns=None, owner_town=None, change_note=""):
        kept = [c for s in spec.stages for c in s.department_codes] if spec else []
        if data is not None and hasattr(data, "getlist"):  # codes posted back stay visible beside their error
            kept += [c for key in data if key.endswith("-department_codes") for c in data.getlist(key)]
        form_kwargs = {
            "creating": creating,
            "towns": towns,
            "county_departments": Department.objects.filter(kind=Department.Kind.COUNTY, is_active=True),
            "categories": BusinessCategory.objects.all(),
        }
        if data is None:
            initial, row_initials = initial_from_spec(spec) if spec else ({}, {})
            initial.setdefault("exercise_levels", [ExerciseLevel.TOWN.value])
            initial.setdefault("fee_free", True)
            initial["change_note"] = change_note
            if owner_town is not None:
                initial["owner_town"] = owner_town.code
            self.form = GuideForm(initial=initial, **form_kwargs)
        else:
            row_initials = {}
            self.form = GuideForm(data, **form_kwargs)
        self.formsets = {}
        for prefix, (row_form, _, _) in ROWS.items():
            factory = forms.formset_factory(row_form, extra=1, can_delete=True)
            kwargs = {"prefix": prefix}
            if prefix == "stages":
                kwargs["form_kwargs"] = {"department_choices": department_choices(owner_town, keep=kept)}
            if data is None:
                self.formsets[prefix] = factory(initial=row_initials.get(prefix) or [], **kwargs)
            else:
                self.formsets[prefix] = factory(data, **kwargs)
        self.section_errors: dict[str, list[str]] = {prefix: [] for prefix in ROWS}
        self.error_summary: list[tuple[str, str, str]] = []  # (where, message, anchor)
        self._used_rows: dict[str, list[forms.Form]] = {}

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        if not valid:
            self._summarise_form_errors()
        return valid

    def _rows(self, prefix: str) -> list[forms.Form]:
        """The rows that make up the list: not deleted, and either prefilled or typed into."""
        formset = self.formsets[prefix]
        initial_count = formset.initial_form_count()
        rows = [
            form
            for i, form in enumerate(formset.forms)
            if not form.cleaned_data.get("DELETE") and (i < initial_count or form.has_changed())
        ]
        self._used_rows[prefix] = rows
        return rows

    def to_spec(self, base: GuideSpec | None = None) -> GuideSpec:
        """The spec the (valid) forms describe. Uploaded files are carried from `base`, the version
        being edited, never taken from the request."""
        data = self.form.cleaned_data
        values = {name: data.get(name) for name in SCALAR_FIELDS}
        for name in SCALAR_FIELDS:
            if isinstance(values.get(name), str):
                values[name] = values[name].strip()
        values["exercise_levels"] = list(data.get("exercise_levels") or [])
        values["process_steps"] = [line.strip() for line in (data.get("process_steps") or "").splitlines()]
        values["process_steps"] = [step for step in values["process_steps"] if step]
        values["result_sample"] = base.result_sample if base else ""
        base_materials = base.materials if base else []
        materials = []
        for row in self._rows("materials"):
            m = row.cleaned_data
            origin = m.get("origin")
            carried = base_materials[origin] if origin is not None and 0 <= origin < len(base_materials) else None
            materials.append(
                MaterialSpec(
                    name=(m.get("name") or "").strip(),
                    form=m.get("form") or "",
                    copies=m.get("copies"),
                    source=m.get("source") or "",
                    required=bool(m.get("required")),
                    deficiency_allowed=bool(m.get("deficiency_allowed")),
                    note=(m.get("note") or "").strip(),
                    sample_file=carried.sample_file if carried else "",
                    blank_file=carried.blank_file if carried else "",
                )
            )
        values["materials"] = materials
        values["special_procedures"] = [
            ProcedureSpec(
                name=(p.get("name") or "").strip(),
                limit_days=p.get("limit_days"),
                counted_in_limit=bool(p.get("counted_in_limit")),
                note=(p.get("note") or "").strip(),
            )
            for p in (row.cleaned_data for row in self._rows("procedures"))
        ]
        values["stages"] = [
            StageSpec(
                name=(s.get("name") or "").strip(),
                department_codes=list(s.get("department_codes") or []),
                limit_days=s.get("limit_days"),
            )
            for s in (row.cleaned_data for row in self._rows("stages"))
        ]
        values["faq"] = [
            FaqSpec(question=(f.get("question") or "").strip(), answer=(f.get("answer") or "").strip())
            for f in (row.cleaned_data for row in self._rows("faq"))
        ]
        return GuideSpec(**values)

    @property
    def code(self) -> str:
        return (self.form.cleaned_data.get("code") or "").strip()

    @property
    def change_note(self) -> str:
        return (self.form.cleaned_data.get("change_note") or "").strip()

    def apply_errors(self, fields: dict[str, str]) -> None:
        """Puts a service's {path: message} next to the field or row each path names."""
        for path, message in fields.items():
            match = _ROW_PATH.match(path)
            prefix = _SPEC_LIST_TO_PREFIX.get(match.group(1)) if match else None
            rows = self._used_rows.get(prefix, []) if prefix else []
            if match and prefix and int(match.group(2)) < len(rows):
                row, attr = rows[int(match.group(2))], match.group(3)
                field = attr if attr in row.fields else None
                row.add_error(field, message)
                anchor = row[field].auto_id if field else f"{row.prefix}-row"
                where = f"{ROWS[prefix][2]}第{int(match.group(2)) + 1}行"
                self.error_summary.append((where, message, anchor))
            elif path in _SPEC_LIST_TO_PREFIX:
                prefix = _SPEC_LIST_TO_PREFIX[path]
                self.section_errors[prefix].append(message)
                self.error_summary.append((ROWS[prefix][2], message, f"rows-{prefix}"))
            elif path in self.form.fields:
                self.form.add_error(path, message)
                label = self.form.fields[path].label
                where = "" if message.startswith(label) else label  # "承诺办结时限（40个工作日）不能…" names itself
                self.error_summary.append((where, message, self.form[path].auto_id))
            else:
                self.form.add_error(None, message)
                self.error_summary.append(("", message, "guide-errors"))

    def _summarise_form_errors(self) -> None:
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            anchor = self.form[name].auto_id if name in self.form.fields else "guide-errors"
            self.error_summary.extend((label, str(e), anchor) for e in errors)
        for prefix, formset in self.formsets.items():
            for message in formset.non_form_errors():  # e.g. a tampered or missing management form
                self.section_errors[prefix].append(message)
                self.error_summary.append((ROWS[prefix][2], str(message), f"rows-{prefix}"))
            for i, row in enumerate(formset.forms):
                for name, errors in row.errors.items():
                    anchor = row[name].auto_id if name in row.fields else f"{row.prefix}-row"
                    self.error_summary.extend((f"{ROWS[prefix][2]}第{i + 1}行", str(e), anchor) for e in errors)

    def fieldsets(self):
        """[(legend, anchor, [bound fields], formset prefix, formset, section errors)] for the template."""
        return [
            (
                legend,
                anchor,
                [self.form[name] for name in names if name in self.form.fields],
                prefix,
                self.formsets.get(prefix),
                self.section_errors.get(prefix, []),
            )
            for legend, anchor, names, prefix in FIELDSETS
        ]
