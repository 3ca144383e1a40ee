"""撤回申请 online: before acceptance only, with a reason, after a confirm page."""

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.services.acceptance import case_accept, case_request_correction
from onewindow.portal.services.applications import ApplicationInput, application_submit
from onewindow.testing.portal import make_citizen, required_uploads, sign_in, token

pytestmark = pytest.mark.django_db

DATA = ApplicationInput(applicant_name="李秀兰", declared=True)


@pytest.fixture
def submitted(world, clock, citizen, offer):
    return application_submit(citizen=citizen, offer=offer, token=token(), data=DATA, uploads=required_uploads())


def withdraw_url(case) -> str:
    return reverse("portal:my-case-withdraw", args=[case.number])


def test_confirm_then_withdraw_with_a_reason(client, submitted, citizen, sms, django_capture_on_commit_callbacks):
    sign_in(client, citizen)
    assert withdraw_url(submitted) in client.get(reverse("portal:my-case", args=[submitted.number])).content.decode()
    confirm = client.get(withdraw_url(submitted)).content.decode()
    assert "确认撤回" in confirm and "撤回原因" in confirm
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED  # looking at the confirm page changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(withdraw_url(submitted), {"reason": "材料准备有误，重新申请"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN and submitted.closed_at is not None
    step = submitted.steps.order_by("-pk").first()
    assert step.action == Action.WITHDRAW and step.step_code == Step.WITHDRAWN and step.opinion.startswith("材料")
    event = AuditEvent.objects.filter(action=AuditAction.CASE_WITHDRAWN).get()
    assert event.role == "citizen" and event.actor is None
    assert "已撤回" in sms.outbox[-1].text
    page = client.get(reverse("portal:my-case", args=[submitted.number])).content.decode()
    assert "已撤回" in page and "材料准备有误" in page and withdraw_url(submitted) not in page


def test_a_reason_is_required(client, submitted, citizen):
    sign_in(client, citizen)
    response = client.post(withdraw_url(submitted), {"reason": "  "})
    assert response.status_code == 400 and "请填写原因" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_withdraw_while_correction_is_required_but_not_after_acceptance(client, world, submitted, citizen, offer):
    sign_in(client, citizen)
    clerk = world.user("a", "front_clerk")
    case_request_correction(actor=clerk, case=submitted, problems={3: "未盖章"})
    assert client.post(withdraw_url(submitted), {"reason": "不办了"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN
    accepted = case_accept(
        actor=clerk,
        case=application_submit(citizen=citizen, offer=offer, token=token(), data=DATA, uploads=required_uploads()),
    )
    response = client.post(withdraw_url(accepted), {"reason": "不办了"})
    assert response.status_code == 409 and "不能撤回申请" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == Status.IN_REVIEW


def test_nobody_else_can_withdraw_it(client, submitted):
    other = make_citizen("13905370002", name="王强", id_first17="37082919700303003")
    sign_in(client, other)
    assert client.post(withdraw_url(submitted), {"reason": "捣乱"}).status_code == 404
    csrf_checked = Client(enforce_csrf_checks=True)
    sign_in(csrf_checked, submitted.citizen)
    assert csrf_checked.post(withdraw_url(submitted), {"reason": "没有令牌"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
