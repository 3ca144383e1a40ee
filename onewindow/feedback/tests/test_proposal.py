"""政务服务微创新: staff and citizens propose; the director (the county for county-level ones) evaluates,
adopts or declines, recognises; the public list shows adopted proposals only."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.citizens.models import Citizen
from onewindow.citizens.session import SESSION_KEY
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.core.models import Notification
from onewindow.feedback.models import Proposal, ProposalStatus
from onewindow.feedback.selectors_supervision import adopted_proposals, proposals_for
from onewindow.feedback.services.proposals import (
    proposal_decide,
    proposal_recognise,
    proposal_start_evaluation,
    proposal_submit,
)
from onewindow.feedback.views import innovation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def staff_proposal(world, town="a", role="front_clerk", title="医保窗口增设帮办专区"):
    return proposal_submit(
        actor=world.user(town, role), area="service", title=title, content="老年人集中办理医保时增设帮办专区。"
    )


def test_staff_proposal_belongs_to_the_own_town_and_reaches_the_director(world, clock):
    proposal = staff_proposal(world)
    assert proposal.town == world.a.region and proposal.proposer_user == world.user("a", "front_clerk")
    assert proposal.proposer_name == world.user("a", "front_clerk").display_name
    assert proposal.status == ProposalStatus.SUBMITTED
    assert Notification.objects.filter(user=world.user("a", "center_director"), kind="proposal").exists()
    assert AuditEvent.objects.filter(action=AuditAction.PROPOSAL_SUBMITTED, chain=world.a.region.code).exists()


def test_evaluate_adopt_and_recognise(world, clock):
    director = world.user("a", "center_director")
    proposal = staff_proposal(world)
    with pytest.raises(Conflict):  # no conclusion before the evaluation has started
        proposal_decide(actor=director, proposal=proposal, adopt=True, evaluation="好")
    proposal = proposal_start_evaluation(actor=director, proposal=proposal)
    with pytest.raises(ValidationFailed) as error:
        proposal_decide(actor=director, proposal=proposal, adopt=True, evaluation="")
    assert "evaluation" in error.value.fields
    with pytest.raises(ValidationFailed):
        proposal_decide(actor=director, proposal=proposal, adopt=False, evaluation="暂不可行", recognition="表彰")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EVALUATING
    proposal = proposal_decide(actor=director, proposal=proposal, adopt=True, evaluation="试点一个月，效果明显")
    assert proposal.status == ProposalStatus.ADOPTED and proposal.decided_at and proposal.evaluated_by == director
    proposal = proposal_recognise(actor=director, proposal=proposal, recognition="评为季度微创新优秀建议")
    assert proposal.recognition == "评为季度微创新优秀建议"
    assert list(adopted_proposals()) == [proposal] and list(adopted_proposals(world.b.region)) == []


def test_only_evaluators_of_the_scope_decide(world, clock):
    proposal = staff_proposal(world)
    with pytest.raises(Forbidden):
        proposal_start_evaluation(actor=world.user("a", "front_clerk"), proposal=proposal)
    with pytest.raises(NotFound):
        proposal_start_evaluation(actor=world.user("b", "center_director"), proposal=proposal)
    assert list(proposals_for(world.user("b", "center_director"))) == []
    assert list(proposals_for(world.user("a", "consult_clerk"))) == []  # not theirs
    assert list(proposals_for(world.user("a", "front_clerk"))) == [proposal]
    county_level = proposal_submit(actor=PUBLIC, area="materials", title="全县通办", content="…", proposer_name="李")
    assert county_level.town is None
    with pytest.raises(NotFound):  # a county-level proposal is the county's to evaluate
        proposal_start_evaluation(actor=world.user("a", "center_director"), proposal=county_level)
    proposal_start_evaluation(actor=world.county_admin, proposal=county_level)


@pytest.mark.parametrize(
    "post, field",
    [
        ({"area": "steps", "title": "", "content": "内容", "proposer_name": "李"}, "title"),
        ({"area": "steps", "title": "题" * 101, "content": "内容", "proposer_name": "李"}, "title"),
        ({"area": "steps", "title": "题目", "content": "长" * 4001, "proposer_name": "李"}, "content"),
        ({"area": "nonsense", "title": "题目", "content": "内容", "proposer_name": "李"}, "area"),
        ({"area": "steps", "title": "题目", "content": "内容", "proposer_name": ""}, "proposer_name"),
    ],
    ids=["no-title", "long-title", "long-content", "bad-area", "no-name"],
)
def test_public_form_bad_input_saves_nothing(client, world, clock, post, field):
    response = client.post(reverse("feedback:innovation-new"), post)
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()
    assert not Proposal.objects.exists()


def test_citizen_proposes_signed_in_and_the_public_list_shows_adopted_ones_only(client, world, clock):
    citizen = Citizen(name="李秀兰")
    citizen.set_mobile("13905370001")
    citizen.save()
    session = client.session
    session[SESSION_KEY] = citizen.pk
    session.save()
    response = client.post(
        reverse("feedback:innovation-new"),
        {
            "town": world.a.region.code,
            "area": "materials",
            "title": "复印件改为现场扫描",
            "content": "窗口扫描代替复印，有事打我电话13905370001",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.proposer_citizen == citizen and proposal.proposer_name == "李秀兰"
    assert proposal.town == world.a.region and proposal.proposer_user is None
    assert AuditEvent.objects.get(action=AuditAction.PROPOSAL_SUBMITTED).role == "citizen"

    assert "已提交" in client.get(response["Location"]).content.decode()  # the thank-you message, once
    assert "复印件改为现场扫描" not in client.get(reverse("feedback:innovation")).content.decode()  # not adopted yet
    director = world.user("a", "center_director")
    proposal_start_evaluation(actor=director, proposal=proposal)
    proposal_decide(actor=director, proposal=proposal, adopt=True, evaluation="已在大厅推行", recognition="通报表扬")
    page = client.get(reverse("feedback:innovation")).content.decode()
    assert "复印件改为现场扫描" in page and "通报表扬" in page and "李*" in page and "李秀兰" not in page
    assert "窗口扫描代替复印" in page and "13905370001" not in page  # a number typed into the text stays hidden
    other_town = client.get(reverse("feedback:innovation"), {"town": world.b.region.code}).content.decode()
    assert "复印件改为现场扫描" not in other_town


def test_public_form_is_rate_limited(client, world, clock, monkeypatch):
    monkeypatch.setattr(innovation, "PROPOSALS_PER_HOUR", innovation.FailureLimit(scope="t-proposal", limit=1))
    post = {"area": "steps", "title": "合并两个环节", "content": "内容", "proposer_name": "张"}
    assert client.post(reverse("feedback:innovation-new"), post).status_code == 302
    assert client.post(reverse("feedback:innovation-new"), post).status_code == 429
    assert Proposal.objects.count() == 1


def test_director_evaluates_through_the_pages(client, world, clock):
    client.force_login(world.user("a", "front_clerk"))
    response = client.post(
        reverse("feedback:proposal-new"), {"area": "time_limit", "title": "即办件当场出证", "content": "…"}
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.town == world.a.region
    client.force_login(world.user("a", "center_director"))
    url = reverse("feedback:proposal", args=[proposal.pk])
    assert "即办件当场出证" in client.get(reverse("feedback:proposals")).content.decode()
    assert client.post(url, {"action": "evaluate"}).status_code == 302
    empty = client.post(url, {"action": "adopt", "evaluation": ""})
    assert empty.status_code == 400 and "请填写评估意见" in empty.content.decode()
    assert client.post(url, {"action": "decline", "evaluation": "需上级审批，暂不可行"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    client.force_login(world.user("b", "center_director"))
    assert client.get(url).status_code == 404


def test_forms_draw(client, world, clock):
    assert 'name="proposer_name"' in client.get(reverse("feedback:innovation-new")).content.decode()
    client.force_login(world.county_admin)
    page = client.get(reverse("feedback:proposal-new")).content.decode()
    assert 'name="town"' in page and 'name="area"' in page
