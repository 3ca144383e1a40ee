"""GuideSpec: the content of one guide version as plain data, and the one place it is validated.

Every way of writing a guide — the admin screens, the Excel import, the demo loader, tests — builds a
GuideSpec and hands it to the guide services, so the rules below hold however a guide arrives.
Errors are keyed by path (`promised_limit_days`, `materials[2].name`, `stages[0].department_codes`)
so each entry point can point at its own field, form row or spreadsheet cell. The rules every text
obeys (no control characters, line breaks only in paragraphs, column lengths) are in spec_text.py.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace

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
from onewindow.catalog.routing import missing_departments
from onewindow.catalog.spec_text import normalize_line_breaks, text_errors
from onewindow.core.errors import ValidationFailed

PHONE_RE = re.compile(r"^[0-9０-９\-－—()（）+ 、，,/转]{5,60}$")
PHONE_HINT = "只能填写数字和“-”“()”“+”“、”“,”“/”“转”等符号，5到60个字符，如“0537-6851234”或“0537-6851234转8001、12345”"
MAX_LIMIT_DAYS = 365


@dataclass
class MaterialSpec:
    name: str
    form: str = MaterialForm.ORIGINAL_AND_COPY
    copies: int = 1
    source: str = MaterialSource.APPLICANT
    required: bool = True
    deficiency_allowed: bool = False
    note: str = ""
    sample_file: str = ""  # storage names; files are uploaded separately and carried across versions
    blank_file: str = ""


@dataclass
class ProcedureSpec:
    name: str
    limit_days: int
    counted_in_limit: bool = False
    note: str = ""


@dataclass
class StageSpec:
    name: str
    department_codes: list[str]
    limit_days: int


@dataclass
class FaqSpec:
    question: str
    answer: str


@dataclass
class GuideSpec:
    name: str
    kind: str
    source: str
    implementing_body: str
    accepting_unit: str
    handling_type: str
    legal_limit_days: int
    promised_limit_days: int
    conditions: str
    legal_basis: str
    result_name: str
    place: str
    hours: str
    consult_phone: str
    complaint_phone: str
    window_category: str
    delegation_mode: str = ""
    source_department: str = ""  # county department code
    exercise_levels: list[str] = field(default_factory=lambda: [ExerciseLevel.TOWN.value])
    process_steps: list[str] = field(default_factory=list)
    fee_free: bool = True
    fee_standard: str = ""
    fee_basis: str = ""
    result_sample: str = ""
    results_public: bool = False
    visits_needed: int = 1
    online_capable: bool = False
    proxy_capable: bool = False
    business_category: str = ""  # BusinessCategory code
    keywords: str = ""
    materials: list[MaterialSpec] = field(default_factory=list)
    special_procedures: list[ProcedureSpec] = field(default_factory=list)
    stages: list[StageSpec] = field(default_factory=list)
    faq: list[FaqSpec] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> GuideSpec:
        data = dict(data)
        data["materials"] = [MaterialSpec(**m) for m in data.get("materials", [])]
        data["special_procedures"] = [ProcedureSpec(**p) for p in data.get("special_procedures", [])]
        data["stages"] = [StageSpec(**s) for s in data.get("stages", [])]
        data["faq"] = [FaqSpec(**f) for f in data.get("faq", [])]
        return cls(**data)

    def without_files(self) -> GuideSpec:
        """The same content with file references blanked (what a spreadsheet carries)."""
        return replace(
            self,
            result_sample="",
            materials=[replace(m, sample_file="", blank_file="") for m in self.materials],
        )


SCALAR_FIELDS = [
    f.name for f in fields(GuideSpec) if f.name not in {"materials", "special_procedures", "stages", "faq"}
]


def spec_from_guide(guide) -> GuideSpec:
    return GuideSpec(
        name=guide.name,
        kind=guide.kind,
        source=guide.source,
        implementing_body=guide.implementing_body,
        accepting_unit=guide.accepting_unit,
        handling_type=guide.handling_type,
        legal_limit_days=guide.legal_limit_days,
        promised_limit_days=guide.promised_limit_days,
        conditions=guide.conditions,
        legal_basis=guide.legal_basis,
        result_name=guide.result_name,
        place=guide.place,
        hours=guide.hours,
        consult_phone=guide.consult_phone,
        complaint_phone=guide.complaint_phone,
        window_category=guide.window_category,
        delegation_mode=guide.delegation_mode,
        source_department=guide.source_department.code if guide.source_department_id else "",
        exercise_levels=list(guide.exercise_levels),
        process_steps=list(guide.process_steps),
        fee_free=guide.fee_free,
        fee_standard=guide.fee_standard,
        fee_basis=guide.fee_basis,
        result_sample=guide.result_sample.name or "",
        results_public=guide.results_public,
        visits_needed=guide.visits_needed,
        online_capable=guide.online_capable,
        proxy_capable=guide.proxy_capable,
        business_category=guide.business_category.code if guide.business_category_id else "",
        keywords=guide.keywords,
        materials=[
            MaterialSpec(
                name=m.name,
                form=m.form,
                copies=m.copies,
                source=m.source,
                required=m.required,
                deficiency_allowed=m.deficiency_allowed,
                note=m.note,
                sample_file=m.sample_file.name or "",
                blank_file=m.blank_file.name or "",
            )
            for m in guide.materials.all()
        ],
        special_procedures=[
            ProcedureSpec(name=p.name, limit_days=p.limit_days, counted_in_limit=p.counted_in_limit, note=p.note)
            for p in guide.special_procedures.all()
        ],
        stages=[
            StageSpec(name=s.name, department_codes=list(s.department_codes), limit_days=s.limit_days)
            for s in guide.stages.all()
        ],
        faq=[FaqSpec(question=f["question"], answer=f["answer"]) for f in guide.faq],
    )


class _Errors(dict):
    def add(self, path: str, message: str) -> None:
        self.setdefault(path, message)


_REQUIRED_TEXT = {
    "name": "事项名称",
    "implementing_body": "实施主体",
    "accepting_unit": "受理单位",
    "conditions": "受理条件",
    "legal_basis": "设定依据",
    "result_name": "办理结果名称",
    "place": "办理地点",
    "hours": "办理时间",
}


def normalize_spec(spec: GuideSpec) -> GuideSpec:
    """`spec` as it is stored: line breaks of multi-line fields as LF (a browser sends CR LF)."""
    return normalize_line_breaks(spec)


def _choice(errors, path, value, choices, label):
    if value not in choices.values:
        allowed = "、".join(f"{lbl}（{v}）" if v != lbl else v for v, lbl in choices.choices)
        errors.add(path, f"{label}“{value}”无效，应为：{allowed}")


def _days(errors, path, value, label, *, minimum=0):
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(path, f"{label}应为整数（工作日）")
        return False
    if value < minimum or value > MAX_LIMIT_DAYS:
        errors.add(path, f"{label}应在{minimum}到{MAX_LIMIT_DAYS}个工作日之间")
        return False
    return True


def validate_spec(
    spec: GuideSpec, *, known_department_codes=None, county_department_codes=None, category_codes=None
) -> dict[str, str]:
    """All problems with `spec` as {path: Chinese message}; empty when it is valid.

    The code sets default to what is in the database; pass them to validate many specs in one go.
    """
    if known_department_codes is None or county_department_codes is None or category_codes is None:
        from onewindow.org.models import BusinessCategory, Department

        if known_department_codes is None:
            known_department_codes = set(Department.objects.filter(is_active=True).values_list("code", flat=True))
        if county_department_codes is None:
            county_department_codes = set(
                Department.objects.filter(kind="county", is_active=True).values_list("code", flat=True)
            )
        if category_codes is None:
            category_codes = set(BusinessCategory.objects.values_list("code", flat=True))
    errors = _Errors(text_errors(spec))  # control characters, line breaks, column lengths: first, they say most
    for name, label in _REQUIRED_TEXT.items():
        if not (getattr(spec, name) or "").strip():
            errors.add(name, f"请填写{label}")
    _choice(errors, "kind", spec.kind, ItemKind, "事项类型")
    _choice(errors, "source", spec.source, ItemSource, "事项来源")
    _choice(errors, "handling_type", spec.handling_type, HandlingType, "办件类型")
    _choice(errors, "window_category", spec.window_category, WindowCategory, "窗口类别")
    if spec.source == ItemSource.DELEGATED:
        if not spec.delegation_mode:
            errors.add(
                "delegation_mode", "县直部门下放事项须注明放权方式（委托办理、授权办理、下放实质性审核权或窗口前移）"
            )
        else:
            _choice(errors, "delegation_mode", spec.delegation_mode, DelegationMode, "放权方式")
        if not spec.source_department:
            errors.add("source_department", "县直部门下放事项须注明下放的县直部门")
    elif spec.delegation_mode:
        errors.add("delegation_mode", "只有县直部门下放事项才有放权方式")
    if spec.source_department and spec.source_department not in county_department_codes:
        errors.add("source_department", f"县直部门代码“{spec.source_department}”不存在")
    if not spec.exercise_levels:
        errors.add("exercise_levels", "请至少选择一个行使层级")
    for level in spec.exercise_levels:
        _choice(errors, "exercise_levels", level, ExerciseLevel, "行使层级")
    _validate_limits(errors, spec)
    if not spec.process_steps or any(not (step or "").strip() for step in spec.process_steps):
        errors.add("process_steps", "请逐步填写办理流程，每一步不能为空")
    if not spec.fee_free:
        if not spec.fee_standard.strip():
            errors.add("fee_standard", "收费事项须填写收费标准")
        if not spec.fee_basis.strip():
            errors.add("fee_basis", "收费事项须填写收费依据")
    for name, label in (("consult_phone", "咨询电话"), ("complaint_phone", "监督投诉电话")):
        value = (getattr(spec, name) or "").strip()
        if not value:
            errors.add(name, f"请填写{label}")
        elif not PHONE_RE.match(value):
            errors.add(name, f"{label}格式不正确：{PHONE_HINT}")
    if (
        isinstance(spec.visits_needed, bool)
        or not isinstance(spec.visits_needed, int)
        or not 0 <= spec.visits_needed <= 5
    ):
        errors.add("visits_needed", "到现场次数应为0到5之间的整数")
    if spec.business_category and spec.business_category not in category_codes:
        errors.add("business_category", f"业务类别代码“{spec.business_category}”不存在")
    _validate_materials(errors, spec)
    _validate_procedures(errors, spec)
    _validate_stages(errors, spec, known_department_codes)
    for i, entry in enumerate(spec.faq):
        if not entry.question.strip() or not entry.answer.strip():
            errors.add(f"faq[{i}]", "常见问题的问题和解答都要填写")
    return dict(errors)


def _validate_limits(errors, spec):
    legal_ok = _days(errors, "legal_limit_days", spec.legal_limit_days, "法定办结时限")
    promised_ok = _days(errors, "promised_limit_days", spec.promised_limit_days, "承诺办结时限")
    if not (legal_ok and promised_ok):
        return
    if spec.promised_limit_days > spec.legal_limit_days:
        errors.add(
            "promised_limit_days",
            f"承诺办结时限（{spec.promised_limit_days}个工作日）不能超过法定办结时限（{spec.legal_limit_days}个工作日）",
        )
    if spec.handling_type == HandlingType.INSTANT and spec.promised_limit_days != 0:
        errors.add("promised_limit_days", "即办件当场办结，承诺办结时限应为0")
    if spec.handling_type == HandlingType.PROMISED and spec.promised_limit_days < 1:
        errors.add("promised_limit_days", "承诺件的承诺办结时限至少为1个工作日")


def _validate_materials(errors, spec):
    seen = set()
    for i, material in enumerate(spec.materials):
        path = f"materials[{i}]"
        name = (material.name or "").strip()
        if not name:
            errors.add(f"{path}.name", "请填写材料名称")
        elif name in seen:
            errors.add(f"{path}.name", f"材料“{name}”重复")
        seen.add(name)
        _choice(errors, f"{path}.form", material.form, MaterialForm, "材料形式")
        _choice(errors, f"{path}.source", material.source, MaterialSource, "材料来源")
        if isinstance(material.copies, bool) or not isinstance(material.copies, int) or not 1 <= material.copies <= 99:
            errors.add(f"{path}.copies", "份数应为1到99之间的整数")
        if material.deficiency_allowed and not material.required:
            errors.add(f"{path}.deficiency_allowed", "容缺受理只适用于必要材料")


def _validate_procedures(errors, spec):
    for i, procedure in enumerate(spec.special_procedures):
        path = f"special_procedures[{i}]"
        if not (procedure.name or "").strip():
            errors.add(f"{path}.name", "请填写特别程序名称")
        _days(errors, f"{path}.limit_days", procedure.limit_days, "特别程序时限", minimum=1)


def _validate_stages(errors, spec, known_department_codes):
    if spec.handling_type == HandlingType.PROMISED and not spec.stages:
        errors.add("stages", "承诺件须设置至少一个后台审批环节")
    total = 0
    for i, stage in enumerate(spec.stages):
        path = f"stages[{i}]"
        if not (stage.name or "").strip():
            errors.add(f"{path}.name", "请填写审批环节名称")
        if not stage.department_codes:
            errors.add(f"{path}.department_codes", "每个审批环节至少指定一个部门")
        elif len(set(stage.department_codes)) != len(stage.department_codes):
            errors.add(f"{path}.department_codes", "同一环节的部门不能重复")
        else:
            unknown = [code for code in stage.department_codes if code not in known_department_codes]
            if unknown:
                errors.add(f"{path}.department_codes", f"部门代码不存在：{'、'.join(unknown)}")
        if _days(errors, f"{path}.limit_days", stage.limit_days, "环节时限", minimum=1):
            total += stage.limit_days
    if (
        spec.stages
        and isinstance(spec.promised_limit_days, int)
        and spec.handling_type == HandlingType.PROMISED
        and total > spec.promised_limit_days
    ):
        errors.add(
            "stages", f"各审批环节时限合计（{total}个工作日）超过承诺办结时限（{spec.promised_limit_days}个工作日）"
        )


def town_route_errors(spec: GuideSpec, town, missing_codes) -> dict[str, str]:
    """{stages[i].department_codes: message} for the stages of a town's own item that name a department
    the town cannot resolve (`missing_codes`, from routing.missing_departments)."""
    missing = set(missing_codes)
    errors = {}
    for i, stage in enumerate(spec.stages):
        if lacking := [code for code in stage.department_codes if code in missing]:
            errors[f"stages[{i}].department_codes"] = (
                f"{town.name}没有部门：{'、'.join(lacking)}（本镇街特色事项只能由本镇街或县直部门审批）"
            )
    return errors


def raise_if_invalid(spec: GuideSpec, *, owner_town=None, **codes) -> None:
    """ValidationFailed with every problem of `spec`; for a town's own item (`owner_town`), also every
    route department that town lacks (a county-wide item is checked town by town when published)."""
    errors = validate_spec(spec, **codes)
    if owner_town is not None:
        for path, message in town_route_errors(spec, owner_town, missing_departments(spec, owner_town)).items():
            errors.setdefault(path, message)
    if errors:
        raise ValidationFailed("办事指南内容有误，请按提示修改", code="guide.invalid", fields=errors)
