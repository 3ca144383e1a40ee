"""Reads for the citizen's side of the portal: what may be applied for online, their drafts and their cases.

Every case read is scoped by `citizen` in the query: another person's case number answers the same 404 as
a number that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from onewindow.cases import flow
from onewindow.cases.deadlines import deadline_state, working_days_left
from onewindow.cases.models import Attachment, Case, CaseMaterial, MaterialState, NoticeKind
from onewindow.cases.public import PUBLIC_STEP_LABELS
from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.models import GuideVersion, ServiceItem
from onewindow.core.calendar import add_working_days
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.scoping import one_or_not_found
from onewindow.feedback.links import rating_path
from onewindow.feedback.models import Level, Rating
from onewindow.feedback.services.ratings import rateable_among
from onewindow.org.models import Region
from onewindow.portal.models import Application, ApplicationStatus

# What a status means to the applicant (the staff labels say 待受理 / 退回前台, which are the desk's words).
PUBLIC_STATUS_LABELS = {
    flow.Status.SUBMITTED: "已提交，等待窗口预审",
    flow.Status.CORRECTION_REQUIRED: "需要补正材料",
    flow.Status.ACCEPTED: "已受理，正在审批",
    flow.Status.IN_REVIEW: "已受理，正在审批",
    flow.Status.RETURNED: "已受理，正在审批",
    flow.Status.SUSPENDED: "特别程序中（暂停计时）",
    flow.Status.DECIDED: "已办结，请领取结果",
    flow.Status.DELIVERED: "已办结，结果已送达",
    flow.Status.REJECTED: "不予受理",
    flow.Status.WITHDRAWN: "已撤回",
    flow.Status.REVOKED: "已撤销",
    flow.Status.TERMINATED: "已终止办理",
}
# Steps whose opinion is addressed to the applicant; review opinions stay inside the administration.
PUBLIC_OPINION_ACTIONS = frozenset(
    {flow.Action.REQUEST_CORRECTION, flow.Action.REJECT, flow.Action.WITHDRAW, flow.Action.SUSPEND}
)
# The citizen may withdraw before acceptance (DESIGN §3: submitted / correction_required ─withdraw→).
WITHDRAWABLE = frozenset({flow.Status.SUBMITTED, flow.Status.CORRECTION_REQUIRED})


class NotOnline(NotFound):
    code = "application.not_online"
    message = "该事项在本镇街暂不支持网上申报，请到为民服务中心窗口办理"


@dataclass(frozen=True)
class Offer:
    town: Region
    item: ServiceItem
    guide: GuideVersion


def online_offer(town_code: str, item_code: str) -> Offer:
    """An item a town offers online: its current guide published in the town's catalog and online-capable."""
    town = catalog_selectors.public_town(town_code)
    try:
        guide = catalog_selectors.public_guide(item_code, town)
    except NotFound as exc:
        raise NotOnline() from exc
    if not guide.online_capable:
        raise NotOnline()
    return Offer(town=town, item=guide.item, guide=guide)


def open_draft(citizen, town: Region, item: ServiceItem) -> Application | None:
    return (
        Application.objects.filter(citizen=citizen, town=town, item=item, status=ApplicationStatus.DRAFT)
        .prefetch_related("files")
        .first()
    )


def my_drafts(citizen) -> list[Application]:
    return list(
        Application.objects.filter(citizen=citizen, status=ApplicationStatus.DRAFT)
        .select_related("town", "item__current_guide")
        .order_by("-updated_at")
    )


def my_cases(citizen) -> QuerySet[Case]:
    return Case.objects.filter(citizen=citizen)


def my_case_rows(citizen) -> tuple[list[dict], list[dict]]:
    """(in progress, finished) rows for 我的办件, newest first, from one query."""
    today = timezone.localdate()
    rows = (
        my_cases(citizen)
        .order_by("-submitted_at", "-id")
        .values("id", "number", "status", "deadline", "submitted_at", "closed_at", "guide__name", "town__name")
    )
    open_rows, closed_rows = [], []
    for row in rows:
        running = row["status"] in flow.CLOCK_RUNNING
        row["status_label"] = PUBLIC_STATUS_LABELS.get(row["status"], flow.Status(row["status"]).label)
        row["deadline_state"] = deadline_state(row["deadline"], today) if running else None
        row["days_left"] = working_days_left(row["deadline"], today) if running else None
        row["needs_action"] = row["status"] == flow.Status.CORRECTION_REQUIRED
        (closed_rows if row["status"] in flow.TERMINAL else open_rows).append(row)
    return open_rows, closed_rows


def my_case(citizen, number: str) -> Case:
    queryset = (
        my_cases(citizen)
        .select_related("guide", "item", "town", "center", "village")
        .prefetch_related("materials", "steps", "notices")
    )
    return one_or_not_found(queryset, number=(number or "")[:32])


def my_attachments(case: Case) -> QuerySet[Attachment]:
    """The files the applicant uploaded online (no staff account: uploaded_by is empty). Documents staff
    attached for internal use are not the applicant's to download here."""
    return case.attachments.filter(uploaded_by__isnull=True).select_related("material")


def timeline(case: Case) -> list[dict]:
    """The case's steps in plain Chinese, oldest first, without staff names or internal review opinions; a step
    the citizen may still rate carries its rating address, a rated one the rating given."""
    steps = list(case.steps.all())
    offers = rating_offers(case, steps)
    return [
        {
            "at": step.at,
            "label": PUBLIC_STEP_LABELS.get(step.action, step.get_action_display()),
            "opinion": step.opinion if step.action in PUBLIC_OPINION_ACTIONS else "",
            "action": step.action,
            **offers.get(step.pk, {}),
        }
        for step in steps
    ]


def rating_offers(case: Case, steps) -> dict[int, dict]:
    """step id → {"rating": label} once rated, or {"rate_url", "rate_until"} while the rating window is open."""
    rateable = rateable_among(steps)
    if not rateable:
        return {}
    given = dict(Rating.objects.filter(case=case, case_step__isnull=False).values_list("case_step_id", "level"))
    today = timezone.localdate()
    offers = {}
    for step in rateable:
        if step.pk in given:
            offers[step.pk] = {"rating": Level(given[step.pk]).label}
            continue
        try:
            until = add_working_days(timezone.localdate(step.at), settings.ONEWINDOW_RATING_WINDOW_WORKING_DAYS)
        except DomainError:  # the calendar does not know that year yet: offer nothing rather than guess
            continue
        if today <= until:
            offers[step.pk] = {"rate_url": rating_path(step, via="web"), "rate_until": until}
    return offers


def correction_items(case: Case) -> list[CaseMaterial]:
    """The materials the one-time notice asked for: flagged with a problem, or required and not received."""
    if case.status != flow.Status.CORRECTION_REQUIRED:
        return []
    return [
        m
        for m in case.materials.all()
        if m.problem or (m.required and m.state not in (MaterialState.RECEIVED, MaterialState.DEFICIENT))
    ]


def correction_notice(case: Case):
    """The latest one-time notice (补正材料通知书) of the case, if any."""
    notices = [n for n in case.notices.all() if n.kind == NoticeKind.CORRECTION]
    return notices[-1] if notices else None


def case_summary(case: Case) -> dict:
    today = timezone.localdate()
    running = case.status in flow.CLOCK_RUNNING
    return {
        "status_label": PUBLIC_STATUS_LABELS.get(case.status, case.get_status_display()),
        "deadline_state": deadline_state(case.deadline, today) if running else None,
        "days_left": working_days_left(case.deadline, today) if running else None,
        "may_withdraw": case.status in WITHDRAWABLE,
        "may_supplement": case.status == flow.Status.CORRECTION_REQUIRED,
    }
