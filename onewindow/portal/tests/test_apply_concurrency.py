"""A double click that really arrives twice at once (PostgreSQL): one draft, one case, one set of files."""

import pytest

from onewindow.cases.models import Attachment, Case
from onewindow.portal.models import Application
from onewindow.portal.services.applications import ApplicationInput, application_save, application_submit
from onewindow.testing.concurrency import run_together
from onewindow.testing.portal import required_uploads, token

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

DATA = ApplicationInput(applicant_name="李秀兰", declared=True)


@pytest.mark.parametrize("with_draft", [False, True], ids=["new form", "resumed draft"])
def test_the_same_form_posted_three_times_at_once_makes_one_case(world, clock, citizen, offer, with_draft):
    form_token = token()
    if with_draft:
        application_save(citizen=citizen, offer=offer, token=form_token, data=DATA, uploads={})

    def submit():
        return application_submit(
            citizen=citizen, offer=offer, token=form_token, data=DATA, uploads=required_uploads()
        ).number

    results, errors = run_together([submit, submit, submit])
    assert errors == [] and len(set(results)) == 1
    assert Case.objects.count() == 1 and Application.objects.count() == 1
    assert Attachment.objects.count() == 3
