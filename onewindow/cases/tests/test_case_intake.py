"""Intake at the front desk (综合受理): numbering, applicant validation, checklist, idempotency."""

import pytest

from onewindow.audit.models import AuditEvent
from onewindow.cases.flow import Status, Step
from onewindow.cases.models import Case, MaterialState
from onewindow.cases.services.intake import Applicant
from onewindow.cases.services.numbering import query_code_index
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.testing.cases import PERSON, offered_item, receive

pytestmark = pytest.mark.django_db


def test_intake_numbers_the_case_and_keeps_the_guide_version(world, clock):
    # given
    item = offered_item(world)
    # when
    case = receive(world, item, materials={1: "received", 2: "received"})
    # then
    assert case.status == Status.SUBMITTED
    assert case.number == "370829001202609010001"
    assert case.guide == item.current_guide
    assert case.query_code_index == query_code_index(case.query_code) and len(case.query_code) == 8
    states = dict(case.materials.values_list("name", "state"))
    assert states == {
        "最低生活保障申请书": "received",
        "户口簿": "received",
        "家庭收入证明": "missing",
        "残疾证": "not_applicable",
    }
    assert list(case.steps.values_list("step_code", flat=True)) == [Step.RECEIVED]
    assert receive(world, item).number.endswith("0002")


def test_pii_is_encrypted_at_rest_and_absent_from_audit(world, clock):
    case = receive(world, offered_item(world))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_id_number, contact_phone FROM cases_case WHERE id = %s", [case.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert PERSON.id_number not in stored_id and "13805371234" not in stored_phone
    for event in AuditEvent.objects.all():
        assert PERSON.id_number not in str(event.after) and "13805371234" not in str(event.after)


def test_bad_applicant_is_refused_with_every_field_and_nothing_saved(world, clock):
    bad = Applicant(kind="person", name="", id_number="370829195601010010", phone="12345")
    with pytest.raises(ValidationFailed) as caught:
        receive(world, offered_item(world), applicant=bad)
    assert set(caught.value.fields) == {"applicant_name", "applicant_id_number", "contact_phone"}
    assert not Case.objects.exists()


def test_enterprise_applicant_uses_the_credit_code(world, clock):
    company = Applicant(
        kind="enterprise", name="嘉祥县某农机合作社", id_number="91370829MA3C4XQ00T", phone="13905370000"
    )
    with pytest.raises(ValidationFailed) as caught:
        receive(world, offered_item(world), applicant=company)
    assert "applicant_id_number" in caught.value.fields


def test_item_must_be_published_in_the_town(world, clock):
    from onewindow.testing.catalog import make_item

    unpublished = make_item("X-9")  # in service, but in no town's catalog
    with pytest.raises(ValidationFailed) as caught:
        receive(world, unpublished)
    assert "目录" in caught.value.fields["item"]


def test_deficiency_mark_only_where_the_guide_allows_it(world, clock):
    item = offered_item(world)
    with pytest.raises(ValidationFailed) as caught:
        receive(world, item, materials={1: MaterialState.DEFICIENT})
    assert "不允许容缺" in caught.value.fields["materials[1]"]
    assert not Case.objects.exists()


def test_other_towns_clerk_and_reviewers_cannot_receive(world, clock):
    item = offered_item(world)
    with pytest.raises(Forbidden):
        receive(world, item, actor=world.user("b", "front_clerk"))
    with pytest.raises(Forbidden):
        receive(world, item, actor=world.user("a", "reviewer"))


def test_a_retried_submission_returns_the_first_case(world, clock):
    item = offered_item(world)
    first = receive(world, item, idempotency_key="kiosk-42-001")
    again = receive(world, item, idempotency_key="kiosk-42-001")
    assert again.pk == first.pk and Case.objects.count() == 1
    other_clerk = receive(world, item, actor=world.user("a", "center_director"), idempotency_key="kiosk-42-001")
    assert other_clerk.pk != first.pk  # keys are scoped to the submitting account
