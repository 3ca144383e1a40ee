"""我的办件: the lists (drafts, in progress, finished), a case's plain-Chinese timeline with the deadline and
working days left, notices and own uploads to download — and nobody else's case, ever."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases.services.acceptance import case_accept
from onewindow.cases.services.attachments import attachment_add
from onewindow.cases.services.output import case_withdraw
from onewindow.feedback.models import Channel, Rating
from onewindow.portal.services.applications import ApplicationInput, application_save, application_submit
from onewindow.testing.cases import receive
from onewindow.testing.portal import CITIZEN_ID, CITIZEN_MOBILE, PDF, make_citizen, required_uploads, sign_in, token

pytestmark = pytest.mark.django_db

DATA = ApplicationInput(applicant_name="李秀兰", declared=True)


def submit(citizen, offer):
    return application_submit(citizen=citizen, offer=offer, token=token(), data=DATA, uploads=required_uploads())


def test_the_list_separates_drafts_open_and_finished_cases(client, world, clock, citizen, offer):
    open_case = submit(citizen, offer)
    clock.minutes(5)
    finished = submit(citizen, offer)
    clerk = world.user("a", "front_clerk")
    case_withdraw(actor=clerk, case=finished, reason="申请人到窗口撤回")
    application_save(citizen=citizen, offer=offer, token=token(), data=DATA, uploads={})
    walk_in = receive(world, offer.item)  # someone else's case at the window
    sign_in(client, citizen)
    html = client.get(reverse("portal:my-cases")).content.decode()
    drafts, rest = html.split('id="in-progress"')
    in_progress, done = rest.split('id="finished"')
    assert "继续填写" in drafts and offer.guide.name in drafts
    assert open_case.number in in_progress and "已提交，等待窗口预审" in in_progress
    assert finished.number in done and "已撤回" in done and finished.number not in in_progress
    assert walk_in.number not in html and CITIZEN_ID not in html and CITIZEN_MOBILE not in html


def test_the_list_costs_the_same_queries_however_many_cases(
    client, world, clock, citizen, offer, django_assert_num_queries
):
    submit(citizen, offer)
    sign_in(client, citizen)
    url = reverse("portal:my-cases")
    client.get(url)
    with django_assert_num_queries(4) as few:  # session, citizen, drafts, cases
        client.get(url)
    for _ in range(3):
        submit(citizen, offer)
    with django_assert_num_queries(len(few)):
        assert client.get(url).content.decode().count("/my/cases/37") >= 4


def test_the_detail_shows_status_timeline_deadline_and_notices(client, world, clock, citizen, offer):
    case = submit(citizen, offer)
    case = case_accept(actor=world.user("a", "front_clerk"), case=case)
    sign_in(client, citizen)
    html = client.get(reverse("portal:my-case", args=[case.number])).content.decode()
    assert "已受理，正在审批" in html
    assert "已接件" in html and "窗口受理" in html and "转部门审批" in html  # plain-Chinese step names
    assert "2026年9月21日" in html and "还剩 15 个工作日" in html  # 15 working days from Tue 1 Sep
    notice = case.notices.get()
    assert reverse("portal:my-case-notice", args=[case.number, notice.pk]) in html
    assert world.user("a", "front_clerk").name not in html  # staff names stay inside
    assert "撤回申请" not in html  # accepted: no longer withdrawable online
    pdf = client.get(reverse("portal:my-case-notice", args=[case.number, notice.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_own_uploads_can_be_downloaded_but_not_staff_documents(client, world, clock, citizen, offer):
    case = submit(citizen, offer)
    staff_doc = attachment_add(
        actor=world.user("a", "front_clerk"), case=case, upload=SimpleUploadedFile("内部审查意见.pdf", PDF)
    )
    sign_in(client, citizen)
    html = client.get(reverse("portal:my-case", args=[case.number])).content.decode()
    assert "申请书.pdf" in html and "内部审查意见.pdf" not in html
    own = case.attachments.get(original_name="户口簿.pdf")
    response = client.get(reverse("portal:my-case-attachment", args=[case.number, own.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client.get(reverse("portal:my-case-attachment", args=[case.number, staff_doc.pk])).status_code == 404


def test_another_persons_case_is_the_same_404_as_a_missing_one(client, world, clock, citizen, offer):
    case = case_accept(actor=world.user("a", "front_clerk"), case=submit(citizen, offer))
    notice, attachment = case.notices.get(), case.attachments.first()
    walk_in = receive(world, offer.item)
    other = make_citizen("13905370002", name="王强", id_first17="37082919700303003")
    sign_in(client, other)
    urls = [
        reverse("portal:my-case", args=[case.number]),
        reverse("portal:my-case", args=[walk_in.number]),
        reverse("portal:my-case", args=["370829999202609010001"]),
        reverse("portal:my-case-notice", args=[case.number, notice.pk]),
        reverse("portal:my-case-attachment", args=[case.number, attachment.pk]),
        reverse("portal:my-case-withdraw", args=[case.number]),
        reverse("portal:apply-submitted", args=[case.number]),
    ]
    bodies = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        bodies.add(re.sub(r'name="(csrfmiddlewaretoken|next)" value="[^"]*"', "", response.content.decode()))
    assert len(bodies) == 1  # not one word more for an existing case
    assert client.post(reverse("portal:my-case-withdraw", args=[case.number]), {"reason": "x"}).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, world, clock, citizen, offer):
    case = submit(citizen, offer)
    for url in (reverse("portal:my-cases"), reverse("portal:my-case", args=[case.number])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("citizens:login"))


def test_the_case_page_costs_the_same_queries_however_long_its_history(
    client, world, clock, citizen, offer, django_assert_num_queries
):
    short = submit(citizen, offer)
    long = case_accept(actor=world.user("a", "front_clerk"), case=submit(citizen, offer))
    for _ in range(3):
        attachment_add(actor=world.user("a", "front_clerk"), case=long, upload=SimpleUploadedFile("x.pdf", PDF))
    sign_in(client, citizen)
    client.get(reverse("portal:my-case", args=[short.number]))
    # session, citizen, the case, its materials, steps, notices, own uploads
    with django_assert_num_queries(7):
        client.get(reverse("portal:my-case", args=[short.number]))
    with django_assert_num_queries(8):  # and the ratings given, once a step (the acceptance) can be rated
        assert client.get(reverse("portal:my-case", args=[long.number])).status_code == 200


def test_the_citizen_rates_the_acceptance_from_the_case_page_once(client, world, clock, citizen, offer):
    case = case_accept(actor=world.user("a", "front_clerk"), case=submit(citizen, offer))
    sign_in(client, citizen)
    page = client.get(reverse("portal:my-case", args=[case.number])).content.decode()
    assert page.count("评价本次服务") == 1 and "评价自愿" in page
    rate_url = re.search(r'href="(/rate/[^"]+\?via=web)"', page).group(1).replace("&amp;", "&")
    response = client.post(rate_url, {"level": "5"}, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile")
    assert response.status_code in (200, 302)
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.channel, rating.case_step.action) == (5, Channel.MOBILE, "accept")
    page = client.get(reverse("portal:my-case", args=[case.number])).content.decode()
    assert "您的评价：非常满意" in page and "评价本次服务" not in page
    clock.advance(10)  # past the 5 working days: no more offer, and never a rating made for anyone
    page = client.get(reverse("portal:my-case", args=[case.number])).content.decode()
    assert "评价本次服务" not in page and Rating.objects.count() == 1
