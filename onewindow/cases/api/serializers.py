"""Input of the cases API: one small serializer per operation, shaped exactly like the service's keywords.

Serializers check shape and type only; every rule (what may be 容缺, who may decide, which reason is
required) lives in the services, which report problems by field in the one error shape.
"""

from __future__ import annotations

from rest_framework import serializers

from onewindow.cases.models import ApplicantKind, Channel, DeliveryMethod, MaterialState
from onewindow.catalog.models import ServiceItem
from onewindow.core.errors import ValidationFailed
from onewindow.org import selectors as org_selectors
from onewindow.org.models import Region

# The service names applicant problems after the model's columns; the API names them after its input.
SERVICE_FIELD_NAMES = {
    "applicant_kind": "applicant.kind",
    "applicant_name": "applicant.name",
    "applicant_id_number": "applicant.id_number",
    "contact_phone": "applicant.phone",
    "address": "applicant.address",
}


def _dotted(errors, prefix: str = "") -> dict[str, str]:
    """DRF's nested error detail → {"applicant.id_number": "message；message"} (the paths the client sent)."""
    if isinstance(errors, dict):
        flat = {}
        for key, value in errors.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                flat.update(_dotted(value, path))
            else:
                flat[path] = "；".join(str(message) for message in value)
        return flat
    return {prefix or "non_field_errors": "；".join(str(message) for message in errors)}


def validated(serializer_class, data, **context) -> dict:
    """The input's validated data, or ValidationFailed naming every bad field at once."""
    serializer = serializer_class(data=data, context=context)
    if not serializer.is_valid():
        raise ValidationFailed(fields=_dotted(serializer.errors))
    return serializer.validated_data


def renamed_fields(error: ValidationFailed) -> ValidationFailed:
    error.fields = {SERVICE_FIELD_NAMES.get(key, key): message for key, message in error.fields.items()}
    return error


class PositionMapField(serializers.DictField):
    """{"1": "received", "3": "deficient"} → {1: "received", 3: "deficient"} (JSON keys are strings)."""

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        try:
            mapped = {int(key): value for key, value in values.items()}
        except (TypeError, ValueError):
            raise serializers.ValidationError("键应为材料序号（正整数）") from None
        if any(position < 1 for position in mapped):
            raise serializers.ValidationError("键应为材料序号（正整数）")
        return mapped


def material_marks():
    return PositionMapField(
        child=serializers.ChoiceField(choices=MaterialState.choices),
        required=False,
        help_text="材料收取情况：{材料序号: received/deficient/missing/not_applicable}",
    )


def positions(help_text: str):
    return serializers.ListField(child=serializers.IntegerField(min_value=1), help_text=help_text)


# --- Intake -----------------------------------------------------------------------------------------------


class ApplicantIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, help_text="person 个人 / enterprise 企业")
    name = serializers.CharField(max_length=100, help_text="申请人姓名或单位名称")
    id_number = serializers.CharField(max_length=30, help_text="居民身份证号码或统一社会信用代码")
    phone = serializers.CharField(max_length=20, help_text="联系手机号码")
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CaseCreateIn(serializers.Serializer):
    item = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ServiceItem.objects.all(),
        help_text="事项实施编码",
        error_messages={"does_not_exist": "未找到该事项，请核对实施编码"},
    )
    town = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(level=Region.Level.TOWN, is_active=True),
        required=False,
        help_text="受理镇街12位区划代码，缺省为本人所在镇街",
        error_messages={"does_not_exist": "未找到该镇街，请核对区划代码"},
    )
    applicant = ApplicantIn()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WINDOW)
    materials = material_marks()
    village = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(level=Region.Level.VILLAGE, is_active=True),
        required=False,
        allow_null=True,
        help_text="村（社区）12位区划代码（代办件必填）",
        error_messages={"does_not_exist": "未找到该村（社区），请核对区划代码"},
    )
    request_summary = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- Front-desk decisions ---------------------------------------------------------------------------------


class CaseAcceptIn(serializers.Serializer):
    materials = material_marks()


class CaseAcceptWithDeficiencyIn(serializers.Serializer):
    deficient = positions("容缺后补的材料序号")
    due = serializers.DateField(help_text="容缺材料补交期限，不晚于承诺办结期限")
    materials = material_marks()


class CaseRejectIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="不予受理的理由")
    remedy = serializers.CharField(max_length=1000, required=False, help_text="救济途径（缺省为行政复议、诉讼的告知）")


class CaseRequestCorrectionIn(serializers.Serializer):
    problems = PositionMapField(
        child=serializers.CharField(max_length=300, allow_blank=True),
        required=False,
        help_text="{材料序号: 存在的问题}；未收齐的必要材料自动列入一次性告知书",
    )
    materials = material_marks()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class CaseSupplementIn(serializers.Serializer):
    received = positions("本次补正收到的材料序号")


class CaseCompleteInstantlyIn(serializers.Serializer):
    certificate_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    opinion = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    materials = material_marks()


class CaseResendIn(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


# --- Special procedures and extension ---------------------------------------------------------------------


class CaseSuspendIn(serializers.Serializer):
    procedure = serializers.CharField(max_length=100, help_text="特别程序：公示、听证、鉴定、现场勘查等")
    reason = serializers.CharField(max_length=1000)
    expected_days = serializers.IntegerField(help_text="预计时长（工作日）")


class CaseResumeIn(serializers.Serializer):
    result = serializers.CharField(max_length=1000, required=False, allow_blank=True, help_text="特别程序结果")


class CaseExtendIn(serializers.Serializer):
    days = serializers.IntegerField(help_text="延期工作日数")
    reason = serializers.CharField(max_length=1000)


# --- Decision, output, endings ----------------------------------------------------------------------------


class CaseDecideIn(serializers.Serializer):
    certificate_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    opinion = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class CaseReceiveDeficientIn(serializers.Serializer):
    positions = positions("本次补交的容缺材料序号")


class CaseDeliverIn(serializers.Serializer):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    recipient_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    identity_checked = serializers.BooleanField(required=False, default=False, help_text="窗口领取时已核验身份")
    tracking_number = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text="EMS邮件号")


class CaseReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="申请人提出的理由")


# --- Review tasks -----------------------------------------------------------------------------------------


class TaskApproveIn(serializers.Serializer):
    opinion = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class TaskReturnIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="退回前台的理由")


class TaskDenyIn(serializers.Serializer):
    opinion = serializers.CharField(max_length=1000, help_text="不同意的意见和理由")


class TaskReassignIn(serializers.Serializer):
    """Ids are looked up within the caller's scope: another town's department or person is simply not found."""

    assignee = serializers.PrimaryKeyRelatedField(
        queryset=org_selectors.staff_for(None),
        required=False,
        allow_null=True,
        help_text="改派给的审批人员 id",
        error_messages={"does_not_exist": "未找到该人员"},
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=org_selectors.departments_for(None),
        required=False,
        allow_null=True,
        help_text="改派给的部门 id",
        error_messages={"does_not_exist": "未找到该部门"},
    )
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actor = self.context.get("actor")
        self.fields["assignee"].queryset = org_selectors.staff_for(actor)
        self.fields["department"].queryset = org_selectors.departments_for(actor)
