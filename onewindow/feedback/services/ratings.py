"""好差评: giving a rating (一次一评、一事一评) and configuring the reason labels.

A rating is only ever written here, by the act of the person served — on the window's tablet, from the signed
link on their phone, on a paper card a clerk types in. Nothing calls this for a service nobody rated: there is
no default rating, and no code path creates one on delivery or when a ticket is finished.

The subject is the service rated: a case step (受理-type decisions, 即办办结, 出件) or a hall ticket finished at a
window. `subject_for_step` / `subject_for_ticket` check that it can be rated and copy on who and what it counts
for (window, staff, item, department, town), so the figures never have to join back through the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import PUBLIC, AuditActor, record
from onewindow.cases.flow import Action
from onewindow.cases.models import Case, CaseStep
from onewindow.cases.models import Channel as CaseChannel
from onewindow.core import pii
from onewindow.core.calendar import add_working_days
from onewindow.core.crypto import blind_index
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.roles import TOWN_STAFF_ROLES, Role
from onewindow.core.scoping import effective_role
from onewindow.feedback.models import BAD_LEVELS, INDICATORS, Channel, Level, Mode, Rating, RatingReason
from onewindow.feedback.services.rectification import rectification_open
from onewindow.hall.models import Ticket, TicketStatus

# The services a person can rate (GB/T 39734: the window decision they received, and the result handed out).
RATEABLE_ACTIONS = frozenset(
    {
        Action.ACCEPT,
        Action.ACCEPT_WITH_DEFICIENCY,
        Action.REJECT,
        Action.REQUEST_CORRECTION,
        Action.COMPLETE_INSTANTLY,
        Action.DELIVER,
    }
)
# Who may submit through which channel.
PUBLIC_CHANNELS = frozenset({Channel.PC, Channel.MOBILE, Channel.QR, Channel.SMS})
DEVICE_CHANNELS = frozenset({Channel.EVALUATOR, Channel.TERMINAL})
TYPED_CHANNELS = frozenset({Channel.CARD, Channel.CALLBACK, Channel.COMPLAINT_WINDOW})  # typed in by staff
ENTRY_ROLES = frozenset({Role.FRONT_CLERK, Role.OUTPUT_CLERK, Role.CENTER_DIRECTOR})
COMMENT_MAX = 500
NAME_MAX = 40
REASONS_MAX = 10
LABEL_MAX = 60


class RatingWindowClosed(Conflict):
    code = "rating.window_closed"
    message = "已超过评价期限，感谢您的关注"


class AlreadyRated(Conflict):
    code = "rating.already_rated"
    message = "该服务已评价（一次服务只能评价一次）"


class NotRateable(Conflict):
    code = "rating.not_rateable"
    message = "该办理环节不能评价"


@dataclass(frozen=True)
class Subject:
    """What is rated and whom it counts for. Exactly one of case_step / ticket is set."""

    town: object
    mode: str
    served_at: datetime
    label: str  # what the rater reads: "A012 医保社保 · 1号窗口" / "最低生活保障审批（办件编号…）· 出件"
    case_step: CaseStep | None = None
    ticket: Ticket | None = None
    case: Case | None = None
    window: object = None
    staff: object = None
    item: object = None
    department: object = None

    @property
    def deadline(self) -> date:
        """The last day it may be rated: N working days after the day of service (calendar, not a guess)."""
        served_on = timezone.localdate(self.served_at)
        return add_working_days(served_on, settings.ONEWINDOW_RATING_WINDOW_WORKING_DAYS)


def window_closed_error() -> RatingWindowClosed:
    days = settings.ONEWINDOW_RATING_WINDOW_WORKING_DAYS
    return RatingWindowClosed(f"已超过评价期限（服务后{days}个工作日内可评价），感谢您的关注")


# --- subjects ---------------------------------------------------------------------------------------


def step_refusal(step: CaseStep) -> str:
    """Why a step cannot be rated ("" when it can)."""
    if step.action not in RATEABLE_ACTIONS:
        return f"“{step.get_action_display()}”环节不是面向办事群众的服务，不能评价"
    if (
        step.action == Action.ACCEPT
        and CaseStep.objects.filter(case_id=step.case_id, action=Action.COMPLETE_INSTANTLY).exists()
    ):
        # 即办件 writes an acceptance and its completion in one visit: one service, rated once (on the completion).
        return "即办件请对“即办办结”环节评价"
    return ""


def rateable_among(steps) -> list[CaseStep]:
    """The steps of one case that a person can rate: `step_refusal` over a whole timeline, without a query each."""
    instant = any(step.action == Action.COMPLETE_INSTANTLY for step in steps)
    return [s for s in steps if s.action in RATEABLE_ACTIONS and not (instant and s.action == Action.ACCEPT)]


def _step_window(step: CaseStep, case: Case):
    """The window the step's clerk was serving at: the case's own ticket when that clerk served it, else the
    clerk's latest call of that day before the step (output windows may not use tickets: then none)."""
    if step.actor_id is None:
        return None
    if case.ticket_id and case.ticket.staff_id == step.actor_id and case.ticket.window_id:
        return case.ticket.window
    ticket = (
        Ticket.objects.filter(
            staff_id=step.actor_id, day=timezone.localdate(step.at), called_at__lte=step.at, window__isnull=False
        )
        .select_related("window")
        .order_by("-called_at")
        .first()
    )
    return ticket.window if ticket else None


def subject_for_step(step: CaseStep) -> Subject:
    if reason := step_refusal(step):
        raise NotRateable(reason)
    case = Case.objects.select_related("town", "item", "guide", "ticket__window").filter(pk=step.case_id).first()
    mode = Mode.ONLINE if case.channel == CaseChannel.ONLINE else Mode.OFFLINE
    return Subject(
        town=case.town,
        mode=mode,
        served_at=step.at,
        label=f"{case.guide.name}（办件编号 {case.number}）· {step.get_action_display()}",
        case_step=step,
        case=case,
        window=_step_window(step, case),
        staff=step.actor,
        item=case.item,
        department=step.department,
    )


def subject_for_ticket(ticket: Ticket) -> Subject:
    if ticket.status != TicketStatus.DONE or ticket.finished_at is None:
        raise NotRateable("该号尚未办结，办结后才能评价")
    ticket = Ticket.objects.select_related("center__town", "category", "window", "staff").get(pk=ticket.pk)
    cases = list(Case.objects.filter(ticket=ticket).select_related("item")[:2])
    case = cases[0] if len(cases) == 1 else None  # a visit that produced several cases counts for none of them
    where = f" · {ticket.window.number}号窗口" if ticket.window_id else ""
    return Subject(
        town=ticket.center.town,
        mode=Mode.OFFLINE,
        served_at=ticket.finished_at,
        label=f"{ticket.number}号 {ticket.category.name}{where}",
        ticket=ticket,
        case=case,
        window=ticket.window,
        staff=ticket.staff,
        item=case.item if case else None,
    )


def is_rated(subject: Subject) -> bool:
    if subject.case_step is not None:
        return Rating.objects.filter(case_step=subject.case_step).exists()
    return Rating.objects.filter(ticket=subject.ticket).exists()


# --- giving a rating --------------------------------------------------------------------------------


def _check_actor(actor, subject: Subject, channel: str, entered_by) -> None:
    if isinstance(actor, AuditActor):
        if actor is not PUBLIC or channel not in PUBLIC_CHANNELS or entered_by is not None:
            raise Forbidden("请通过网站、手机或扫码评价")
        return
    role = effective_role(actor)
    if getattr(actor, "town_id", None) != subject.town.pk:
        raise Forbidden("只能评价本镇街的服务")
    if role == Role.DEVICE:
        if channel not in DEVICE_CHANNELS or entered_by is not None:
            raise Forbidden("评价设备只能提交评价器评价")
        return
    if role not in TOWN_STAFF_ROLES:
        raise Forbidden("您不能录入评价")
    if channel in TYPED_CHANNELS:
        if role not in ENTRY_ROLES:
            raise Forbidden("只有前台受理、出件窗口人员和中心主任可以录入评议卡")
        if entered_by is None or entered_by.pk != actor.pk:
            raise Forbidden("录入人须为当前登录的工作人员")
    elif channel != Channel.EVALUATOR or entered_by is not None:
        # Staff may stand in for the tablet (signed in on it), never rate through the public channels.
        raise Forbidden("工作人员只能在评价器上为群众提交评价，或录入评议卡")


def _level(value, errors: dict) -> int | None:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = None
    if isinstance(value, bool) or level not in Level.values:
        errors["level"] = "请选择评价等级（非常满意、满意、基本满意、不满意、非常不满意）"
        return None
    return level


def _indicators(raw, mode: str, level: int | None, errors: dict) -> dict:
    labels = dict(INDICATORS[Mode(mode)])
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, dict):
        errors["indicators"] = "分项评分格式有误"
        return {}
    scores = {}
    for key, value in raw.items():
        if key not in labels:
            errors[f"indicators.{key}"] = "没有这一评分项"
            continue
        if value in (None, ""):
            continue
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if isinstance(value, bool) or not 1 <= score <= 5:
            errors[f"indicators.{key}"] = f"“{labels[key]}”的评分应为1到5分"
            continue
        scores[key] = score
    if level is not None:
        scores.setdefault("overall", level)
    return {key: scores[key] for key in labels if key in scores}


def _reasons(raw, level: int | None, errors: dict) -> list[str]:
    chosen = [str(r).strip() for r in (raw or []) if str(r).strip()]
    chosen = list(dict.fromkeys(chosen))  # a label ticked twice counts once, in the order given
    if level is None:
        return chosen
    offered = set(RatingReason.objects.filter(level=level, is_active=True).values_list("label", flat=True))
    if unknown := [r for r in chosen if r not in offered]:
        errors["reasons"] = f"以下原因不属于所选评价等级：{'、'.join(unknown)[:100]}"
    elif len(chosen) > REASONS_MAX:
        errors["reasons"] = f"评价原因最多选择{REASONS_MAX}项"
    elif level in BAD_LEVELS and not chosen:
        errors["reasons"] = "差评请至少选择一项原因，以便我们整改"
    return chosen


def _rater(anonymous: bool, name: str, mobile: str, errors: dict) -> tuple[str, str]:
    """实名 keeps name and mobile (to call back about a 差评); 匿名 keeps neither, whatever was typed."""
    if anonymous:
        return "", ""
    name = " ".join((name or "").split())
    if not name:
        errors["rater_name"] = "实名评价请填写姓名"
    elif len(name) > NAME_MAX:
        errors["rater_name"] = f"姓名不能超过{NAME_MAX}个字"
    if not (mobile or "").strip():
        errors["rater_mobile"] = "实名评价请填写手机号码，便于回访"
        return name, ""
    try:
        mobile = pii.validate_mobile(mobile)
    except ValidationFailed as exc:
        errors["rater_mobile"] = exc.message
        return name, ""
    return name, mobile


@transaction.atomic
def rating_submit(
    *,
    actor,
    subject: Subject,
    level,
    channel: str,
    indicators: dict | None = None,
    reasons: list | tuple = (),
    comment: str = "",
    anonymous: bool = True,
    rater_name: str = "",
    rater_mobile: str = "",
    entered_by=None,
    now: datetime | None = None,
) -> Rating:
    """Records the rating the person gave (actor: PUBLIC for links, the tablet's device or staff account, the
    clerk who typed a card — then also `entered_by`). A 差评 opens its rectification in the same transaction."""
    now = now or timezone.now()
    if channel not in Channel.values:
        raise ValidationFailed(fields={"channel": "评价渠道无效"})
    _check_actor(actor, subject, channel, entered_by)
    errors: dict = {}
    level = _level(level, errors)
    scores = _indicators(indicators, subject.mode, level, errors)
    chosen = _reasons(reasons, level, errors)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = f"评价内容不能超过{COMMENT_MAX}个字（现有{len(comment)}个字）"
    name, mobile = _rater(bool(anonymous), rater_name, rater_mobile, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    if timezone.localdate(now) > subject.deadline:
        raise window_closed_error()
    if is_rated(subject):
        raise AlreadyRated()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                town=subject.town,
                level=level,
                mode=subject.mode,
                indicators=scores,
                reasons=chosen,
                comment=comment,
                channel=channel,
                anonymous=bool(anonymous),
                rater_name=name,
                rater_mobile=mobile,
                rater_mobile_index=blind_index(mobile, purpose="mobile") if mobile else "",
                case=subject.case,
                case_step=subject.case_step,
                ticket=subject.ticket,
                window=subject.window,
                staff=subject.staff,
                item=subject.item,
                department=subject.department,
                served_at=subject.served_at,
                created_at=now,
                entered_by=entered_by,
            )
    except IntegrityError as exc:  # the same service rated at the same moment elsewhere (一次一评)
        raise AlreadyRated() from exc
    record(
        actor=actor,
        action=AuditAction.RATING_GIVEN,
        target=rating,
        town=subject.town,
        after={
            "level": level,
            "channel": channel,
            "anonymous": rating.anonymous,
            "case_step": getattr(subject.case_step, "pk", None),
            "ticket": getattr(subject.ticket, "pk", None),
            "window": getattr(subject.window, "pk", None),
            "staff": getattr(subject.staff, "pk", None),
            "entered_by": getattr(entered_by, "pk", None),
        },
        summary=f"{Level(level).label}（{Channel(channel).label}）：{subject.label}"[:300],
    )
    if rating.is_bad:
        rectification_open(rating=rating)
    return rating


# --- reason labels (county configuration) -----------------------------------------------------------


def reason_errors(reason: RatingReason) -> dict:
    """{field: Chinese message} of what is wrong with a reason label (empty when it may be saved)."""
    errors = {}
    reason.label = " ".join((reason.label or "").split())
    if reason.level not in Level.values:
        errors["level"] = "请选择评价等级"
    if not reason.label:
        errors["label"] = "请填写原因"
    elif len(reason.label) > LABEL_MAX:
        errors["label"] = f"原因不能超过{LABEL_MAX}个字"
    elif RatingReason.objects.filter(level=reason.level, label=reason.label).exclude(pk=reason.pk).exists():
        errors["label"] = "该评价等级已有相同的原因"
    return errors


@transaction.atomic
def rating_reason_save(*, actor, reason: RatingReason) -> RatingReason:
    """Adds or changes a reason label. Only the county sets them (one list for every town, as the province's
    好差评 system does); a label no longer wanted is switched off, never deleted (ratings keep their words)."""
    if effective_role(actor) != Role.COUNTY_ADMIN:
        raise Forbidden("只有县行政审批服务局可以设置评价原因")
    if errors := reason_errors(reason):
        raise ValidationFailed(fields=errors)
    before = None
    if reason.pk:
        old = RatingReason.objects.select_for_update().get(pk=reason.pk)
        before = {"level": old.level, "label": old.label, "position": old.position, "is_active": old.is_active}
    reason.save()
    after = {"level": reason.level, "label": reason.label, "position": reason.position, "is_active": reason.is_active}
    record(
        actor=actor,
        action=AuditAction.RATING_REASON_SAVED,
        target=reason,
        before=before,
        after=after,
        summary=f"{'修改' if before else '新增'}评价原因：{reason}",
    )
    return reason
