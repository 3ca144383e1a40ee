"""政务服务微创新: proposals from staff and citizens; the director (or the county for county-level ones) evaluates
them: 已提交 → 评估中 → 已采纳 / 未采纳; an adopted one may be recognised (表彰激励) and is listed publicly."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import AuditActor, record
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.parsing import text_field
from onewindow.core.roles import STAFF_ROLES, Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.core.services.notifications import notify_staff
from onewindow.feedback.models import Proposal, ProposalArea, ProposalStatus
from onewindow.org.models import Region, User
from onewindow.org.selectors import county_admins, town_directors

TITLE_MAX = 100
CONTENT_MAX = 4000
NAME_MAX = 40
EVALUATION_MAX = 2000
RECOGNITION_MAX = 200
EVALUATORS = frozenset({Role.CENTER_DIRECTOR, Role.COUNTY_ADMIN})
PROPOSER_ROLES = STAFF_ROLES - {Role.DEVICE}


def _clean(*, area, title, content, proposer_name, town) -> dict:
    errors = {}
    if area not in ProposalArea.values:
        errors["area"] = "请选择建议的方向"
    title, content, proposer_name = (title or "").strip(), (content or "").strip(), (proposer_name or "").strip()
    if not title:
        errors["title"] = "请填写建议题目"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"题目不能超过{TITLE_MAX}个字"
    if not content:
        errors["content"] = "请填写建议内容"
    elif len(content) > CONTENT_MAX:
        errors["content"] = f"建议内容不能超过{CONTENT_MAX}个字（现有{len(content)}个字）"
    if not proposer_name:
        errors["proposer_name"] = "请填写提出人姓名"
    elif len(proposer_name) > NAME_MAX:
        errors["proposer_name"] = f"姓名不能超过{NAME_MAX}个字"
    if town is not None and (not isinstance(town, Region) or town.level != Region.Level.TOWN or not town.is_active):
        errors["town"] = "请选择镇街"
    if errors:
        raise ValidationFailed(fields=errors)
    return {"title": title, "content": content, "proposer_name": proposer_name}


def _evaluators(town) -> list[User]:
    if town is not None:
        return town_directors(town.pk)
    return county_admins()


@transaction.atomic
def proposal_submit(
    *, actor, area: str, title: str, content: str, proposer_name: str = "", town=None, citizen=None
) -> Proposal:
    """A staff member proposes for their own town (the county administrator for the county or a town); a
    citizen (PUBLIC, or signed in: `citizen`) for the town they choose, or the county when none."""
    if isinstance(actor, AuditActor):
        user = None
        proposer_name = proposer_name or getattr(citizen, "name", "")
    else:
        role = effective_role(actor)
        if role not in PROPOSER_ROLES:
            raise Forbidden("您的账号不能提交微创新建议")
        user, citizen = actor, None
        if role != Role.COUNTY_ADMIN:
            town = actor.town
        proposer_name = proposer_name or actor.display_name
    clean = _clean(area=area, title=title, content=content, proposer_name=proposer_name, town=town)
    proposal = Proposal.objects.create(
        town=town,
        area=area,
        proposer_user=user,
        proposer_citizen=citizen,
        submitted_at=timezone.now(),
        **clean,
    )
    record(
        actor=actor,
        action=AuditAction.PROPOSAL_SUBMITTED,
        target=proposal,
        town=town,
        after={"area": area, "title": clean["title"], "by_staff": user is not None},
        summary=f"提交微创新建议“{clean['title'][:40]}”",
    )
    notify_staff(
        _evaluators(town),
        kind="proposal",
        title="收到微创新建议，请组织评估",
        body=f"{proposal.get_area_display()}：{clean['title']}",
        url=reverse("feedback:proposal", args=[proposal.pk]),
    )
    return proposal


def _locked(actor, proposal: Proposal, allowed: set, doing: str) -> Proposal:
    if effective_role(actor) not in EVALUATORS:
        raise Forbidden("只有中心主任和县局管理员可以评估微创新建议")
    row = one_or_not_found(Proposal.objects.visible_to(actor).select_for_update(), pk=proposal.pk)
    if row.status not in allowed:
        raise Conflict(f"此建议当前为“{row.get_status_display()}”，不能{doing}", code="proposal.illegal_status")
    return row


@transaction.atomic
def proposal_start_evaluation(*, actor, proposal: Proposal) -> Proposal:
    row = _locked(actor, proposal, {ProposalStatus.SUBMITTED}, "开始评估")
    row.status, row.evaluated_by = ProposalStatus.EVALUATING, actor
    row.save(update_fields=["status", "evaluated_by"])
    record(
        actor=actor,
        action=AuditAction.PROPOSAL_EVALUATING,
        target=row,
        town=row.town,
        before={"status": ProposalStatus.SUBMITTED},
        after={"status": row.status},
        summary=f"微创新建议“{row.title[:40]}”进入评估",
    )
    return row


@transaction.atomic
def proposal_decide(*, actor, proposal: Proposal, adopt: bool, evaluation: str, recognition: str = "") -> Proposal:
    """采纳 or 不采纳, with the evaluation; recognition only for an adopted proposal."""
    row = _locked(actor, proposal, {ProposalStatus.EVALUATING}, "作出评估结论")
    evaluation = text_field(evaluation, field="evaluation", label="评估意见", limit=EVALUATION_MAX, required=True)
    recognition = text_field(recognition, field="recognition", label="表彰激励", limit=RECOGNITION_MAX, required=False)
    if recognition and not adopt:
        raise ValidationFailed(fields={"recognition": "只有采纳的建议才能给予表彰激励"})
    row.status = ProposalStatus.ADOPTED if adopt else ProposalStatus.DECLINED
    row.evaluation, row.recognition, row.evaluated_by, row.decided_at = evaluation, recognition, actor, timezone.now()
    row.save(update_fields=["status", "evaluation", "recognition", "evaluated_by", "decided_at"])
    record(
        actor=actor,
        action=AuditAction.PROPOSAL_DECIDED,
        target=row,
        town=row.town,
        before={"status": ProposalStatus.EVALUATING},
        after={"status": row.status, "recognition": recognition},
        summary=f"微创新建议“{row.title[:40]}”{row.get_status_display()}",
    )
    return row


@transaction.atomic
def proposal_recognise(*, actor, proposal: Proposal, recognition: str) -> Proposal:
    """表彰激励 given later to an adopted proposal (e.g. after the measure has proved itself)."""
    row = _locked(actor, proposal, {ProposalStatus.ADOPTED}, "表彰激励")
    recognition = text_field(recognition, field="recognition", label="表彰激励", limit=RECOGNITION_MAX, required=True)
    before = {"recognition": row.recognition}
    row.recognition = recognition
    row.save(update_fields=["recognition"])
    record(
        actor=actor,
        action=AuditAction.PROPOSAL_RECOGNISED,
        target=row,
        town=row.town,
        before=before,
        after={"recognition": recognition},
        summary=f"微创新建议“{row.title[:40]}”获表彰激励",
    )
    return row
