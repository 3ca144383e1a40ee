"""补正 online: the clerk's one-time notice reaches the citizen's case page, the citizen uploads each named
item and resubmits — the same case goes back to 待受理 and the front desk's queue, with a timeline entry."""

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.audit.services import PUBLIC
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import Attachment, MaterialState
from onewindow.cases.selectors import queue
from onewindow.cases.services.acceptance import case_accept, case_request_correction
from onewindow.cases.services.attachments import attachment_add
from onewindow.citizens.session import citizen_actor
from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.portal.services.applications import ApplicationInput, application_submit
from onewindow.portal.services.my_cases import my_case_supplement
from onewindow.testing.cases import receive
from onewindow.testing.portal import CITIZEN_ID, EXE, make_citizen, pdf, required_uploads, sign_in, token

pytestmark = pytest.mark.django_db

DATA = ApplicationInput(applicant_name="李秀兰", declared=True)


@pytest.fixture
def corrected(world, clock, citizen, offer):
    """An online case the clerk sent back: 家庭收入证明 without a stamp, and 户口簿 missing a page."""
    case = application_submit(citizen=citizen, offer=offer, token=token(), data=DATA, uploads=required_uploads())
    return case_request_correction(
        actor=world.user("a", "front_clerk"),
        case=case,
        problems={3: "收入证明未加盖单位公章", 2: "缺少户主页"},
        note="请补齐后重新提交",
    )


def test_the_case_page_lists_what_the_one_time_notice_asks_for(client, corrected, citizen):
    sign_in(client, citizen)
    html = client.get(reverse("portal:my-case", args=[corrected.number])).content.decode()
    assert "需要补正材料" in html and "请补正材料" in html
    assert "收入证明未加盖单位公章" in html and "缺少户主页" in html and "请补齐后重新提交" in html
    notice = corrected.notices.get(kind="correction")
    assert reverse("portal:my-case-notice", args=[corrected.number, notice.pk]) in html
    assert 'name="material_2"' in html and 'name="material_3"' in html and 'name="material_1"' not in html


def test_round_trip_citizen_supplements_and_the_clerk_accepts(
    client, world, corrected, citizen, sms, django_capture_on_commit_callbacks
):
    # when: the citizen uploads the two items and resubmits
    sign_in(client, citizen)
    url = reverse("portal:my-case-supplement", args=[corrected.number])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"material_2": pdf("户口簿全页.pdf"), "material_3": pdf("盖章收入证明.pdf")})
    # then: the same case is back in 待受理 with a timeline entry, the files on their lines
    assert response.status_code == 302 and response["Location"] == reverse("portal:my-case", args=[corrected.number])
    corrected.refresh_from_db()
    assert corrected.status == Status.SUBMITTED
    last = corrected.steps.order_by("-pk").first()
    assert last.action == Action.SUPPLEMENT and last.step_code == Step.CORRECTION_ENDED
    assert set(corrected.materials.values_list("state", flat=True)) <= {
        MaterialState.RECEIVED,
        MaterialState.NOT_APPLICABLE,
    }
    assert corrected.attachments.filter(material__position=3).count() == 2
    assert "重新提交" in sms.outbox[-1].text and CITIZEN_ID not in sms.outbox[-1].text
    # the front desk sees it again in its pre-review queue, and accepts
    clerk = world.user("a", "front_clerk")
    assert corrected.number in [r["number"] for r in queue(clerk, "awaiting_acceptance").rows]
    case_accept(actor=clerk, case=corrected)
    # the citizen sees the acceptance on the timeline, and anyone with the query code on the progress page
    html = client.get(reverse("portal:my-case", args=[corrected.number])).content.decode()
    for label in ("已接件", "需要补正材料", "材料已补正", "窗口受理"):
        assert label in html
    progress = Client().post(
        reverse("cases:public-progress"), {"number": corrected.number, "query_code": corrected.query_code}
    )
    assert progress.status_code == 200 and "窗口受理" in progress.content.decode()


def test_every_named_item_needs_a_file_and_bad_files_change_nothing(client, corrected, citizen):
    sign_in(client, citizen)
    url = reverse("portal:my-case-supplement", args=[corrected.number])
    missing = client.post(url, {"material_3": pdf("盖章收入证明.pdf")})
    assert missing.status_code == 400 and "请上传需补正的材料“户口簿”" in missing.content.decode()
    exe = client.post(url, {"material_2": pdf("户口簿.pdf", EXE), "material_3": pdf("盖章收入证明.pdf")})
    assert exe.status_code == 400 and "可执行程序" in exe.content.decode()
    extra = client.post(url, {"material_1": pdf(), "material_2": pdf(), "material_3": pdf()})
    assert extra.status_code == 400 and "不需要补正" in extra.content.decode()
    corrected.refresh_from_db()
    assert corrected.status == Status.CORRECTION_REQUIRED and corrected.attachments.count() == 3
    assert Attachment.objects.count() == 3


def test_only_when_a_correction_was_asked_and_only_ones_own_case(world, clock, citizen, offer, corrected):
    fresh = application_submit(citizen=citizen, offer=offer, token=token(), data=DATA, uploads=required_uploads())
    with pytest.raises(Conflict):
        my_case_supplement(citizen=citizen, case=fresh, uploads={1: [pdf()]})
    other = make_citizen("13905370002", name="王强", id_first17="37082919700303003")
    with pytest.raises(NotFound):
        my_case_supplement(citizen=other, case=corrected, uploads={2: [pdf()], 3: [pdf()]})
    with pytest.raises(ValidationFailed):
        my_case_supplement(citizen=citizen, case=corrected, uploads={})
    corrected.refresh_from_db()
    assert corrected.status == Status.CORRECTION_REQUIRED


def test_a_supplement_without_csrf_token_is_refused(corrected, citizen):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, citizen)
    url = reverse("portal:my-case-supplement", args=[corrected.number])
    assert browser.post(url, {"material_2": pdf(), "material_3": pdf()}).status_code == 403
    corrected.refresh_from_db()
    assert corrected.status == Status.CORRECTION_REQUIRED and corrected.attachments.count() == 3


def test_no_citizen_can_attach_a_file_to_a_case_not_linked_to_them(world, clock, citizen, offer):
    walk_in = receive(world, offer.item)  # a window case: linked to nobody
    for actor, who in ((citizen_actor(citizen), citizen), (PUBLIC, None)):
        with pytest.raises(NotFound):
            attachment_add(actor=actor, case=walk_in, upload=pdf(), citizen=who)
    assert not walk_in.attachments.exists()
