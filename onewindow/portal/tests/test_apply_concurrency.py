"""A double click that really arrives twice at once (PostgreSQL): one draft, one case, one set of files."""

import threading

import pytest
from django.db import connection

from onewindow.cases.models import Attachment, Case
from onewindow.portal.models import Application
from onewindow.portal.services.applications import ApplicationInput, application_save, application_submit
from onewindow.testing.portal import required_uploads, token

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

DATA = ApplicationInput(applicant_name="李秀兰", declared=True)


def run_together(targets):
    start = threading.Barrier(len(targets))
    results, errors = [], []

    def wrap(target):
        def run():
            try:
                start.wait()
                results.append(target())
            except Exception as exc:  # the main thread inspects them
                errors.append(exc)
            finally:
                connection.close()

        return threading.Thread(target=run)

    threads = [wrap(t) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


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
