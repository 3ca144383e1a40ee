"""Output of the public items API, built as plain dicts (DESIGN §6: no per-row serializer work).

The Serializer classes below describe the same shapes for the OpenAPI schema only; a test keeps the
dict keys and the declared fields in step.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from onewindow.catalog import qr, routing
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

KIND_LABELS = dict(ItemKind.choices)
HANDLING_LABELS = dict(HandlingType.choices)
WINDOW_LABELS = dict(WindowCategory.choices)
SOURCE_LABELS = dict(ItemSource.choices)
DELEGATION_LABELS = dict(DelegationMode.choices)
LEVEL_LABELS = dict(ExerciseLevel.choices)
FORM_LABELS = dict(MaterialForm.choices)
MATERIAL_SOURCE_LABELS = dict(MaterialSource.choices)

# What one list row reads, in one query: the item's denormalized columns and its current guide.
ITEM_ROW_FIELDS = (
    "code",
    "name",
    "business_category__code",
    "business_category__name",
    "current_guide__kind",
    "current_guide__handling_type",
    "current_guide__legal_limit_days",
    "current_guide__promised_limit_days",
    "current_guide__window_category",
    "current_guide__online_capable",
    "current_guide__proxy_capable",
)


def _category(code, name):
    return {"code": code, "name": name} if code else None


def item_row(values: dict, *, town_code: str | None, request) -> dict:
    kind, handling, window = (
        values["current_guide__kind"],
        values["current_guide__handling_type"],
        values["current_guide__window_category"],
    )
    return {
        "code": values["code"],
        "name": values["name"],
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, ""),
        "handling_type": handling,
        "handling_type_label": HANDLING_LABELS.get(handling, ""),
        "legal_limit_days": values["current_guide__legal_limit_days"],
        "promised_limit_days": values["current_guide__promised_limit_days"],
        "window_category": window,
        "window_category_label": WINDOW_LABELS.get(window, ""),
        "business_category": _category(values["business_category__code"], values["business_category__name"]),
        "online_capable": values["current_guide__online_capable"],
        "proxy_capable": values["current_guide__proxy_capable"],
        "guide_url": qr.guide_url(town_code, values["code"], request) if town_code else None,
    }


def _file_url(request, town_code, item_code, kind, pk):
    if not town_code:
        return None
    return qr.absolute_url(reverse("catalog:guide-file", args=[town_code, item_code, kind, pk]), request)


def guide_document(guide, *, town, file_town_code: str | None, window, request) -> dict:
    """Every element of a published guide. Department names and the window are the town's (when given);
    download links use `file_town_code` (the files are the same in every town that publishes the item)."""
    item_code = guide.item.code
    stages = list(guide.stages.all())
    resolved = routing.resolve_codes(routing.route_codes(guide), town) if town is not None else {}

    def department(code):
        found = resolved.get(code)
        return {"code": code, "name": found.name if found else None}

    return {
        "code": item_code,
        "name": guide.name,
        "kind": guide.kind,
        "kind_label": KIND_LABELS.get(guide.kind, ""),
        "source": guide.source,
        "source_label": SOURCE_LABELS.get(guide.source, ""),
        "delegation_mode": guide.delegation_mode,
        "delegation_mode_label": DELEGATION_LABELS.get(guide.delegation_mode, ""),
        "source_department": (
            {"code": guide.source_department.code, "name": guide.source_department.name}
            if guide.source_department_id
            else None
        ),
        "exercise_levels": [{"code": c, "label": LEVEL_LABELS.get(c, "")} for c in guide.exercise_levels],
        "implementing_body": guide.implementing_body,
        "accepting_unit": guide.accepting_unit,
        "handling_type": guide.handling_type,
        "handling_type_label": HANDLING_LABELS.get(guide.handling_type, ""),
        "legal_limit_days": guide.legal_limit_days,
        "promised_limit_days": guide.promised_limit_days,
        "special_procedures": [
            {"name": p.name, "limit_days": p.limit_days, "counted_in_limit": p.counted_in_limit, "note": p.note}
            for p in guide.special_procedures.all()
        ],
        "conditions": guide.conditions,
        "legal_basis": guide.legal_basis,
        "process_steps": list(guide.process_steps),
        "stages": [
            {
                "position": s.position,
                "name": s.name,
                "limit_days": s.limit_days,
                "is_joint": s.is_joint,
                "departments": [department(code) for code in s.department_codes],
            }
            for s in stages
        ],
        "materials": [
            {
                "position": m.position,
                "name": m.name,
                "form": m.form,
                "form_label": FORM_LABELS.get(m.form, ""),
                "copies": m.copies,
                "source": m.source,
                "source_label": MATERIAL_SOURCE_LABELS.get(m.source, ""),
                "required": m.required,
                "deficiency_allowed": m.deficiency_allowed,
                "note": m.note,
                "sample_url": _file_url(request, file_town_code, item_code, "sample", m.pk) if m.sample_file else None,
                "blank_url": _file_url(request, file_town_code, item_code, "blank", m.pk) if m.blank_file else None,
            }
            for m in guide.materials.all()
        ],
        "fee_free": guide.fee_free,
        "fee_standard": guide.fee_standard,
        "fee_basis": guide.fee_basis,
        "result_name": guide.result_name,
        "results_public": guide.results_public,
        "result_sample_url": (
            _file_url(request, file_town_code, item_code, "result", guide.pk) if guide.result_sample else None
        ),
        "place": guide.place,
        "hours": guide.hours,
        "consult_phone": guide.consult_phone,
        "complaint_phone": guide.complaint_phone,
        "visits_needed": guide.visits_needed,
        "online_capable": guide.online_capable,
        "proxy_capable": guide.proxy_capable,
        "window_category": guide.window_category,
        "window_category_label": WINDOW_LABELS.get(guide.window_category, ""),
        "business_category": _category(
            guide.business_category.code if guide.business_category_id else None,
            guide.business_category.name if guide.business_category_id else None,
        ),
        "keywords": guide.keywords,
        "faq": [{"question": f.get("question", ""), "answer": f.get("answer", "")} for f in guide.faq],
        "version": guide.version,
        "valid_from": guide.valid_from.isoformat() if guide.valid_from else None,
        "town_code": town.code if town is not None else None,
        "window": {"number": window.number, "name": window.name} if window is not None else None,
        "guide_url": qr.guide_url(town.code, item_code, request) if town is not None else None,
    }


# --- Schema descriptions (OpenAPI only) -------------------------------------------------------------------


class CodeNameOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ItemSummaryOut(serializers.Serializer):
    code = serializers.CharField(help_text="实施编码")
    name = serializers.CharField(help_text="事项名称")
    kind = serializers.ChoiceField(choices=ItemKind.choices, help_text="事项类型代码")
    kind_label = serializers.CharField()
    handling_type = serializers.ChoiceField(choices=HandlingType.choices, help_text="即办件 / 承诺件")
    handling_type_label = serializers.CharField()
    legal_limit_days = serializers.IntegerField(help_text="法定办结时限（工作日）")
    promised_limit_days = serializers.IntegerField(help_text="承诺办结时限（工作日）")
    window_category = serializers.ChoiceField(choices=WindowCategory.choices)
    window_category_label = serializers.CharField()
    business_category = CodeNameOut(allow_null=True)
    online_capable = serializers.BooleanField()
    proxy_capable = serializers.BooleanField()
    guide_url = serializers.URLField(allow_null=True, help_text="该镇街办事指南页面地址（未指定 town 时为 null）")


class LevelOut(serializers.Serializer):
    code = serializers.ChoiceField(choices=ExerciseLevel.choices)
    label = serializers.CharField()


class ProcedureOut(serializers.Serializer):
    name = serializers.CharField()
    limit_days = serializers.IntegerField()
    counted_in_limit = serializers.BooleanField()
    note = serializers.CharField()


class StageDepartmentOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(allow_null=True, help_text="该镇街的承办部门（指定 town 时）")


class StageOut(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    limit_days = serializers.IntegerField()
    is_joint = serializers.BooleanField(help_text="多个部门并联审批")
    departments = StageDepartmentOut(many=True)


class MaterialOut(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    form = serializers.ChoiceField(choices=MaterialForm.choices)
    form_label = serializers.CharField()
    copies = serializers.IntegerField()
    source = serializers.ChoiceField(choices=MaterialSource.choices)
    source_label = serializers.CharField()
    required = serializers.BooleanField()
    deficiency_allowed = serializers.BooleanField(help_text="可容缺受理")
    note = serializers.CharField()
    sample_url = serializers.URLField(allow_null=True, help_text="样表下载地址")
    blank_url = serializers.URLField(allow_null=True, help_text="空白表格下载地址")


class FaqOut(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()


class WindowRefOut(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()


class ItemDetailOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    kind_label = serializers.CharField()
    source = serializers.ChoiceField(choices=ItemSource.choices)
    source_label = serializers.CharField()
    delegation_mode = serializers.CharField(help_text="放权方式，空为非下放事项")
    delegation_mode_label = serializers.CharField()
    source_department = CodeNameOut(allow_null=True)
    exercise_levels = LevelOut(many=True)
    implementing_body = serializers.CharField()
    accepting_unit = serializers.CharField()
    handling_type = serializers.ChoiceField(choices=HandlingType.choices)
    handling_type_label = serializers.CharField()
    legal_limit_days = serializers.IntegerField()
    promised_limit_days = serializers.IntegerField()
    special_procedures = ProcedureOut(many=True)
    conditions = serializers.CharField()
    legal_basis = serializers.CharField()
    process_steps = serializers.ListField(child=serializers.CharField())
    stages = StageOut(many=True)
    materials = MaterialOut(many=True)
    fee_free = serializers.BooleanField()
    fee_standard = serializers.CharField()
    fee_basis = serializers.CharField()
    result_name = serializers.CharField()
    results_public = serializers.BooleanField(help_text="办结后在镇街结果公示栏公布（个人姓名脱敏）")
    result_sample_url = serializers.URLField(allow_null=True)
    place = serializers.CharField()
    hours = serializers.CharField()
    consult_phone = serializers.CharField()
    complaint_phone = serializers.CharField()
    visits_needed = serializers.IntegerField()
    online_capable = serializers.BooleanField()
    proxy_capable = serializers.BooleanField()
    window_category = serializers.ChoiceField(choices=WindowCategory.choices)
    window_category_label = serializers.CharField()
    business_category = CodeNameOut(allow_null=True)
    keywords = serializers.CharField()
    faq = FaqOut(many=True)
    version = serializers.IntegerField(help_text="指南版本号")
    valid_from = serializers.DateField(allow_null=True, help_text="生效日期")
    town_code = serializers.CharField(allow_null=True)
    window = WindowRefOut(allow_null=True, help_text="该镇街的受理窗口（指定 town 时）")
    guide_url = serializers.URLField(allow_null=True)
