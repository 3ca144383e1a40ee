"""网上申报 through the services: drafts, submit → an online case with its attachments, and every refusal
leaving nothing behind."""

import pytest

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.cases.flow import Status, Step
from onewindow.cases.models import Attachment, Case, Channel, MaterialState
from onewindow.cases.selectors import queue
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.core.pii import credit_check_char
from onewindow.portal.models import Application, ApplicationFile, ApplicationStatus
from onewindow.portal.selectors import NotOnline, online_offer
from onewindow.portal.services.applications import ApplicationInput, application_save, application_submit
from onewindow.testing.catalog import make_item, sample_spec
from onewindow.testing.portal import CITIZEN_ID, CITIZEN_MOBILE, EXE, PNG, make_citizen, pdf, required_uploads, token

pytestmark = pytest.mark.django_db

DATA = ApplicationInput(applicant_name="李秀兰", address="嘉祥街道二村5号", request_summary="申请低保", declared=True)


def stored_files(settings) -> list:
    root = settings.ONEWINDOW_PRIVATE_DIR
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def nothing_saved(settings):
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_submit_files_an_online_case_with_each_file_on_its_checklist_line(
    world, clock, citizen, offer, sms, settings, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        case = application_submit(citizen=citizen, offer=offer, token=token(), data=DATA, uploads=required_uploads())
    # then: a case in 待受理 from the online channel, the citizen's own ID and mobile, all required materials in
    assert case.channel == Channel.ONLINE and case.status == Status.SUBMITTED and case.citizen == citizen
    assert case.applicant_id_number == CITIZEN_ID and case.contact_phone == CITIZEN_MOBILE
    assert case.created_by is None and case.town == world.a.region and case.request_summary == "申请低保"
    states = dict(case.materials.values_list("position", "state"))
    assert states == {
        1: MaterialState.RECEIVED,
        2: MaterialState.RECEIVED,
        3: MaterialState.RECEIVED,
        4: MaterialState.NOT_APPLICABLE,
    }
    names = sorted(case.attachments.values_list("material__name", "original_name"))
    assert names == [("家庭收入证明", "收入证明.pdf"), ("户口簿", "户口簿.pdf"), ("最低生活保障申请书", "申请书.pdf")]
    assert list(case.steps.values_list("step_code", flat=True)) == [Step.RECEIVED]
    # the draft is closed on the case, its own copies of the files are gone
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED and application.case == case
    assert not ApplicationFile.objects.exists()
    assert len(stored_files(settings)) == 3 and all("/portal/" not in str(p) for p in stored_files(settings))
    # audited as the citizen, texted with number and query code (never the ID or the mobile)
    actions = list(AuditEvent.objects.values_list("action", "role"))
    assert (AuditAction.APPLICATION_SUBMITTED, "citizen") in actions and (
        AuditAction.CASE_RECEIVED,
        "citizen",
    ) in actions
    assert [a for a, _ in actions].count(AuditAction.ATTACHMENT_UPLOADED) == 3
    [text] = sms.outbox
    assert text.to == CITIZEN_MOBILE and case.number in text.text and case.query_code in text.text
    assert CITIZEN_ID not in text.text and CITIZEN_MOBILE not in text.text
    # the front desk sees it in the pre-review queue of its town only
    clerk_rows = queue(world.user("a", "front_clerk"), "awaiting_acceptance").rows
    assert [r["number"] for r in clerk_rows] == [case.number]
    assert queue(world.user("b", "front_clerk"), "awaiting_acceptance").rows == []


def test_the_same_form_submitted_twice_makes_one_case(world, clock, citizen, offer):
    form_token = token()
    first = application_submit(citizen=citizen, offer=offer, token=form_token, data=DATA, uploads=required_uploads())
    again = application_submit(citizen=citizen, offer=offer, token=form_token, data=DATA, uploads=required_uploads())
    assert again == first and Case.objects.count() == 1 and first.attachments.count() == 3


def test_a_draft_keeps_fields_and_files_and_is_resumed_then_submitted(world, clock, citizen, offer, settings):
    # given: a draft with one file and half the details
    form_token = token()
    draft = application_save(
        citizen=citizen,
        offer=offer,
        token=form_token,
        data=ApplicationInput(applicant_name="李秀兰", request_summary="先存一下"),
        uploads={1: [pdf("申请书.pdf"), pdf("申请书第二页.pdf")]},
    )
    assert draft.status == ApplicationStatus.DRAFT and draft.files.count() == 2 and not Case.objects.exists()
    assert len(stored_files(settings)) == 2
    # when: the page is opened again later (a new form token) — the open draft is the one edited
    again = application_save(
        citizen=citizen, offer=offer, token=token(), data=ApplicationInput(applicant_name="李秀兰"), uploads={}
    )
    assert again.pk == draft.pk and Application.objects.count() == 1
    # and submitted with the rest of the files
    case = application_submit(
        citizen=citizen,
        offer=offer,
        token=form_token,
        data=DATA,
        uploads={2: [pdf("户口簿.pdf")], 3: [pdf("收入证明.pdf")]},
    )
    # then: every file of the draft is on the case, against its line
    assert case.attachments.filter(material__position=1).count() == 2
    assert case.attachments.count() == 4


def test_drafts_are_not_cases_and_no_staff_queue_sees_them(world, clock, citizen, offer):
    application_save(citizen=citizen, offer=offer, token=token(), data=DATA, uploads=required_uploads())
    assert not Case.objects.exists()
    director = world.user("a", "center_director")
    assert queue(director, "awaiting_acceptance").rows == [] and queue(director, "intake_today").rows == []


def test_a_missing_required_material_is_refused_and_nothing_is_saved(world, clock, citizen, offer, settings):
    uploads = required_uploads()
    del uploads[3]
    with pytest.raises(ValidationFailed) as caught:
        application_submit(citizen=citizen, offer=offer, token=token(), data=DATA, uploads=uploads)
    assert "家庭收入证明" in caught.value.fields["material_3"] and caught.value.status == 400
    nothing_saved(settings)


def test_without_the_declaration_nothing_is_submitted(world, clock, citizen, offer, settings):
    data = ApplicationInput(applicant_name="李秀兰", declared=False)
    with pytest.raises(ValidationFailed) as caught:
        application_submit(citizen=citizen, offer=offer, token=token(), data=data, uploads=required_uploads())
    assert "真实有效" in caught.value.fields["declared"]
    nothing_saved(settings)


def test_a_failed_submit_leaves_an_existing_draft_as_it_was(world, clock, citizen, offer, settings):
    form_token = token()
    application_save(citizen=citizen, offer=offer, token=form_token, data=DATA, uploads={1: [pdf()]})
    with pytest.raises(ValidationFailed):
        application_submit(
            citizen=citizen,
            offer=offer,
            token=form_token,
            data=ApplicationInput(applicant_name="改了名字", declared=True),
            uploads={2: [pdf("户口簿.pdf")]},  # 家庭收入证明 still missing
        )
    draft = Application.objects.get()
    assert draft.applicant_name == "李秀兰" and draft.files.count() == 1 and len(stored_files(settings)) == 1
    assert not Case.objects.exists()


def test_an_executable_renamed_pdf_is_refused(world, clock, citizen, offer, settings):
    with pytest.raises(ValidationFailed) as caught:
        application_save(citizen=citizen, offer=offer, token=token(), data=DATA, uploads={2: [pdf("户口簿.pdf", EXE)]})
    assert "可执行程序" in caught.value.fields["material_2"]
    nothing_saved(settings)


def test_a_file_over_the_limit_is_refused(world, clock, citizen, offer, settings):
    settings.ONEWINDOW_ATTACHMENT_MAX_BYTES = 1024  # stands for the real 20 MB limit against a 51 MB file
    uploads = required_uploads()
    uploads[2] = [pdf("户口簿.pdf", b"%PDF-1.4\n" + b"0" * 2048)]
    with pytest.raises(ValidationFailed) as caught:
        application_submit(citizen=citizen, offer=offer, token=token(), data=DATA, uploads=uploads)
    assert "超过上限" in caught.value.fields["material_2"]
    nothing_saved(settings)


def test_a_picture_with_the_wrong_extension_and_a_line_not_in_the_checklist_are_refused(
    world, clock, citizen, offer, settings
):
    with pytest.raises(ValidationFailed) as caught:
        application_save(
            citizen=citizen, offer=offer, token=token(), data=DATA, uploads={1: [pdf("照片.pdf", PNG)], 9: [pdf()]}
        )
    assert "不符" in caught.value.fields["material_1"] and "没有这一项" in caught.value.fields["material_9"]
    nothing_saved(settings)


def test_a_wrong_id_number_or_mobile_is_refused(world, clock, citizen, offer, settings):
    data = ApplicationInput(applicant_name="李秀兰", applicant_id_number="370829196002020021", contact_phone="12345")
    with pytest.raises(ValidationFailed) as caught:
        application_save(citizen=citizen, offer=offer, token=token(), data=data, uploads={})
    assert set(caught.value.fields) == {"applicant_id_number", "contact_phone"}
    nothing_saved(settings)


def test_an_enterprise_applies_with_its_credit_code_and_a_contact(world, clock, citizen, offer):
    code = "93370829004349237" + credit_check_char("93370829004349237")
    data = ApplicationInput(
        applicant_kind="enterprise", applicant_name="嘉祥县兴农合作社", applicant_id_number=code, declared=True
    )
    case = application_submit(citizen=citizen, offer=offer, token=token(), data=data, uploads=required_uploads())
    assert case.applicant_kind == "enterprise" and case.applicant_id_number == code
    assert case.contact_name == "李秀兰" and case.contact_phone == CITIZEN_MOBILE


def test_items_not_offered_online_are_refused(world, clock, citizen):
    offline = make_item(
        "370829-XX-002", spec=sample_spec(name="农村宅基地申请", online_capable=False), adopt_in=[world.a.region]
    )
    with pytest.raises(NotOnline):
        online_offer(world.a.region.code, offline.code)
    online_elsewhere = make_item("370829-XX-003")  # online-capable, but not in town A's catalog
    with pytest.raises(NotOnline):
        online_offer(world.a.region.code, online_elsewhere.code)
    assert NotOnline.status == 404


def test_another_citizens_form_token_is_not_found(world, clock, citizen, offer):
    form_token = token()
    application_save(citizen=citizen, offer=offer, token=form_token, data=DATA, uploads={})
    other = make_citizen("13905370002", id_first17="37082919700303003")
    with pytest.raises(NotFound):
        application_submit(citizen=other, offer=offer, token=form_token, data=DATA, uploads=required_uploads())
    assert not Case.objects.exists()
