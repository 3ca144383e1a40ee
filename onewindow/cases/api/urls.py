"""Cases API routes (DESIGN §4): one URL, one input serializer and one service per action."""

from django.urls import path

from onewindow.cases.api import public, publicity, views
from onewindow.cases.api import serializers as s
from onewindow.cases.api.views import CaseActionApi, TaskActionApi, action_view
from onewindow.cases.services import acceptance, output, review, suspension

# slug → (view class name, input, service, summary)
CASE_ACTIONS = {
    "accept": ("CaseAcceptApi", s.CaseAcceptIn, acceptance.case_accept, "受理"),
    "accept-with-deficiency": (
        "CaseAcceptWithDeficiencyApi",
        s.CaseAcceptWithDeficiencyIn,
        acceptance.case_accept_with_deficiency,
        "容缺受理",
    ),
    "reject": ("CaseRejectApi", s.CaseRejectIn, acceptance.case_reject, "不予受理"),
    "request-correction": (
        "CaseRequestCorrectionApi",
        s.CaseRequestCorrectionIn,
        acceptance.case_request_correction,
        "一次性告知补正材料",
    ),
    "supplement": ("CaseSupplementApi", s.CaseSupplementIn, acceptance.case_supplement, "补正材料已收齐"),
    "complete-instantly": (
        "CaseCompleteInstantlyApi",
        s.CaseCompleteInstantlyIn,
        acceptance.case_complete_instantly,
        "即办件受理并当场办结",
    ),
    "suspend": ("CaseSuspendApi", s.CaseSuspendIn, suspension.case_suspend, "启动特别程序（暂停计时）"),
    "resume": ("CaseResumeApi", s.CaseResumeIn, suspension.case_resume, "结束特别程序"),
    "extend": ("CaseExtendApi", s.CaseExtendIn, suspension.case_extend, "延期（中心主任批准）"),
    "resend": ("CaseResendApi", s.CaseResendIn, review.case_resend, "退回件重新提交审批"),
    "decide": ("CaseDecideApi", s.CaseDecideIn, review.case_decide, "办结（准予）"),
    "receive-deficient": (
        "CaseReceiveDeficientApi",
        s.CaseReceiveDeficientIn,
        output.case_receive_deficient,
        "收取容缺后补材料",
    ),
    "deliver": ("CaseDeliverApi", s.CaseDeliverIn, output.case_deliver, "统一出件"),
    "withdraw": ("CaseWithdrawApi", s.CaseReasonIn, output.case_withdraw, "撤回申请（受理前）"),
    "revoke": ("CaseRevokeApi", s.CaseReasonIn, output.case_revoke, "撤销办件（受理后、办结前）"),
}

TASK_ACTIONS = {
    "approve": ("TaskApproveApi", s.TaskApproveIn, review.task_approve, "审批同意"),
    "return": ("TaskReturnApi", s.TaskReturnIn, review.task_return, "退回前台"),
    "deny": ("TaskDenyApi", s.TaskDenyIn, review.task_deny, "审批不同意（办结不予）"),
    "reassign": ("TaskReassignApi", s.TaskReassignIn, review.task_reassign, "改派审批任务（专职协调人员）"),
}

urlpatterns = [
    path("cases/", views.CaseListCreateApi.as_view(), name="api-cases"),
    path("cases/<str:number>/", views.CaseDetailApi.as_view(), name="api-case-detail"),
    *(
        path(
            f"cases/<str:number>/{slug}/",
            action_view(CaseActionApi, name, input_class=input_class, service=service, summary=summary),
            name=f"api-case-{slug}",
        )
        for slug, (name, input_class, service, summary) in CASE_ACTIONS.items()
    ),
    path("tasks/", views.TaskListApi.as_view(), name="api-tasks"),
    *(
        path(
            f"tasks/<int:task_id>/{slug}/",
            action_view(TaskActionApi, name, input_class=input_class, service=service, summary=summary),
            name=f"api-task-{slug}",
        )
        for slug, (name, input_class, service, summary) in TASK_ACTIONS.items()
    ),
    path("public/progress/", public.PublicProgressApi.as_view(), name="api-public-progress"),
    path("public/publicity/", publicity.PublicPublicityApi.as_view(), name="api-public-publicity"),
]
