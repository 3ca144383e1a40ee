"""OpenAPI descriptions of the cases API's output (schema only: responses are built in documents.py)."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from onewindow.cases.deadlines import DeadlineState
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import (
    ApplicantKind,
    Channel,
    Decision,
    DeliveryMethod,
    MaterialState,
    NoticeKind,
    TaskStatus,
)

ERROR = OpenApiResponse(description='{"error": {"code", "message", "fields"}}')


def _state():
    return serializers.ChoiceField(
        choices=DeadlineState.choices, allow_null=True, help_text="green 正常 / yellow 剩1个工作日 / red 已超期"
    )


class CaseCreatedOut(serializers.Serializer):
    number = serializers.CharField(help_text="办件编号")
    status = serializers.ChoiceField(choices=Status.choices)
    query_code = serializers.CharField(help_text="查询码（凭办件编号和查询码公开查询办理进度）")
    deadline = serializers.DateField(allow_null=True, help_text="办结期限（受理后才有）")


class CaseCodeNameOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CaseGuideOut(serializers.Serializer):
    version = serializers.IntegerField(help_text="受理时所依据的办事指南版本")
    handling_type = serializers.CharField()
    promised_limit_days = serializers.IntegerField()
    legal_limit_days = serializers.IntegerField()


class CaseApplicantOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    kind_label = serializers.CharField()
    name = serializers.CharField(help_text="脱敏：张*")
    id_number = serializers.CharField(help_text="脱敏：370829********1234")
    phone = serializers.CharField(help_text="脱敏：138****5678")
    contact_name = serializers.CharField(help_text="脱敏")


class CaseMaterialOut(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    required = serializers.BooleanField()
    deficiency_allowed = serializers.BooleanField()
    state = serializers.ChoiceField(choices=MaterialState.choices)
    state_label = serializers.CharField()
    problem = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)


class CaseTaskDepartmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CaseTaskOut(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    stage_position = serializers.IntegerField()
    stage_name = serializers.CharField()
    department = CaseTaskDepartmentOut()
    assignee = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    status_label = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    deadline_state = _state()
    opinion = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class CaseStepOut(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    label = serializers.CharField()
    step_code = serializers.ChoiceField(choices=Step.choices, allow_null=True, help_text="省平台办件过程环节代码")
    step_label = serializers.CharField(allow_null=True)
    status_after = serializers.ChoiceField(choices=Status.choices)
    actor_name = serializers.CharField()
    at = serializers.DateTimeField()
    opinion = serializers.CharField()


class CaseNoticeOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    kind_label = serializers.CharField()
    issued_at = serializers.DateTimeField()


class CaseDetailOut(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    channel_label = serializers.CharField()
    item = CaseCodeNameOut()
    guide = CaseGuideOut()
    town = CaseCodeNameOut()
    center = serializers.CharField()
    village = CaseCodeNameOut(allow_null=True)
    applicant = CaseApplicantOut()
    request_summary = serializers.CharField()
    received_by = serializers.CharField(allow_null=True, help_text="接件人")
    contact_clerk = serializers.CharField(allow_null=True, help_text="首问负责人")
    agent = serializers.CharField(allow_null=True, help_text="代办员")
    submitted_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    deadline_state = _state()
    working_days_left = serializers.IntegerField(allow_null=True, help_text="计时中才有；特别程序中、已结束为 null")
    suspended_on = serializers.DateField(allow_null=True)
    suspended_days = serializers.IntegerField()
    extended_days = serializers.IntegerField()
    deficiency_due = serializers.DateField(allow_null=True)
    decision = serializers.ChoiceField(choices=Decision.choices, allow_null=True)
    decision_label = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_opinion = serializers.CharField()
    certificate_number = serializers.CharField()
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices, allow_null=True)
    delivery_method_label = serializers.CharField(allow_null=True)
    tracking_number = serializers.CharField()
    recipient_name = serializers.CharField(help_text="脱敏")
    delivered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    materials = CaseMaterialOut(many=True)
    tasks = CaseTaskOut(many=True)
    timeline = CaseStepOut(many=True)
    notices = CaseNoticeOut(many=True)


class CaseQueueRowOut(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    item_code = serializers.CharField()
    item_name = serializers.CharField()
    applicant = serializers.CharField(help_text="脱敏")
    channel = serializers.ChoiceField(choices=Channel.choices)
    channel_label = serializers.CharField()
    town_name = serializers.CharField()
    contact_clerk = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    deadline_state = _state()
    working_days_left = serializers.IntegerField(allow_null=True)
    deficiency_due = serializers.DateField(allow_null=True)


class CaseQueuePageOut(serializers.Serializer):
    results = CaseQueueRowOut(many=True)
    next_cursor = serializers.CharField(allow_null=True, help_text="下一页的 cursor；没有下一页时为 null")


class TaskQueueRowOut(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    stage_name = serializers.CharField()
    department_name = serializers.CharField()
    assignee_name = serializers.CharField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    deadline_state = _state()
    working_days_left = serializers.IntegerField(allow_null=True)
    case_number = serializers.CharField()
    item_name = serializers.CharField()
    applicant = serializers.CharField(help_text="脱敏")
    case_deadline = serializers.DateField(allow_null=True)


class TaskQueuePageOut(serializers.Serializer):
    results = TaskQueueRowOut(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class ProgressStepOut(serializers.Serializer):
    at = serializers.DateTimeField()
    label = serializers.CharField(help_text="办理环节（不含工作人员姓名和内部意见）")


class ProgressOut(serializers.Serializer):
    number = serializers.CharField()
    item_name = serializers.CharField()
    center = serializers.CharField()
    applicant = serializers.CharField(help_text="脱敏")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    submitted_on = serializers.DateField(allow_null=True)
    accepted_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    deadline_state = _state()
    decided_on = serializers.DateField(allow_null=True)
    decision_label = serializers.CharField(allow_null=True)
    decision_opinion = serializers.CharField(help_text="办结意见（仅办结后）")
    delivered_on = serializers.DateField(allow_null=True)
    timeline = ProgressStepOut(many=True)
