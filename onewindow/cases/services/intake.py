"""Front-desk intake (综合受理): a case is received (已接件) with its materials checklist."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import ApplicantKind, Case, CaseMaterial, Channel, MaterialState
from onewindow.cases.services.common import actor_user, add_step, audit
from onewindow.cases.services.numbering import new_query_code, next_case_number, query_code_index
from onewindow.catalog.models import CatalogEntry
from onewindow.core import crypto, pii
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.org.models import Region, ServiceCenter

# Who may receive an application at the front desk, and through which channels.
INTAKE_ROLES = {
    Role.FRONT_CLERK: {Channel.WINDOW, Channel.KIOSK, Channel.DEPARTMENT, Channel.AGENT},
    Role.CENTER_DIRECTOR: {Channel.WINDOW, Channel.KIOSK, Channel.DEPARTMENT, Channel.AGENT},
    Role.CONSULT_CLERK: {Channel.WINDOW},
    Role.AGENT: {Channel.AGENT},
    Role.DEVICE: {Channel.KIOSK, Channel.DEPARTMENT},
}
# A signed-in citizen (portal session, not a staff account) acts as an AuditActor with this role.
CITIZEN_ROLE = "citizen"


@dataclass(frozen=True)
class Applicant:
    kind: str
    name: str
    id_number: str
    phone: str
    contact_name: str = ""
    address: str = ""

    def cleaned(self) -> Applicant:
        """Validated and normalised; every problem reported at once, by field."""
        errors = {}
        if self.kind not in ApplicantKind.values:
            errors["applicant_kind"] = "请选择申请人类型（个人或企业）"
        name = (self.name or "").strip()
        if not name:
            errors["applicant_name"] = "请填写申请人姓名或单位名称"
        elif len(name) > 100:
            errors["applicant_name"] = "申请人名称不能超过100个字"
        id_number = self.id_number
        try:
            if self.kind == ApplicantKind.ENTERPRISE:
                id_number = pii.validate_credit_code(self.id_number or "")
            elif self.kind == ApplicantKind.PERSON:
                id_number = pii.validate_id_number(self.id_number or "")
        except ValidationFailed as exc:
            errors["applicant_id_number"] = exc.message
        phone = self.phone
        try:
            phone = pii.validate_mobile(self.phone or "")
        except ValidationFailed as exc:
            errors["contact_phone"] = exc.message
        if len(self.address or "") > 200:
            errors["address"] = "联系地址不能超过200个字"
        if errors:
            raise ValidationFailed(fields=errors)
        contact = (self.contact_name or "").strip() or name
        return Applicant(self.kind, name, id_number, phone, contact[:50], (self.address or "").strip())

    def id_index(self) -> str:
        purpose = "credit_code" if self.kind == ApplicantKind.ENTERPRISE else "id_number"
        return crypto.blind_index(self.id_number, purpose=purpose)


def _check_intake_actor(actor, town: Region, channel: str, village: Region | None, citizen) -> None:
    role = effective_role(actor)
    if role == CITIZEN_ROLE or citizen is not None:
        # 网上申报: the citizen applies for themselves, online only, in any town that offers the item.
        if role != CITIZEN_ROLE or citizen is None or channel != Channel.ONLINE:
            raise Forbidden("网上申报须由办事群众本人登录后提交")
        return
    if channel not in INTAKE_ROLES.get(role, ()):
        raise Forbidden("您不能通过该渠道受理申请")
    if actor.town_id != town.pk:
        raise Forbidden("只能受理本镇街的申请")
    if role == Role.AGENT and (village is None or village.pk != actor.village_id):
        raise Forbidden("代办员只能代办本村（社区）群众的申请")


def _published_guide(item, town: Region):
    entry = (
        CatalogEntry.objects.filter(town=town, item=item, is_published=True, item__current_guide__isnull=False)
        .select_related("item__current_guide")
        .first()
    )
    if entry is None:
        raise ValidationFailed(
            fields={"item": "该事项不在本镇街公布的一窗受理事项目录中"}, code="case.item_not_offered"
        )
    return entry.item.current_guide


def _material_rows(case: Case, guide, marks: dict[int, str], problems: dict[int, str]) -> list[CaseMaterial]:
    """The guide's checklist with the clerk's marks; required materials default to missing."""
    errors = {}
    positions = {m.position for m in guide.materials.all()}
    for position in set(marks) | set(problems):
        if position not in positions:
            errors[f"materials[{position}]"] = "办事指南中没有这一项材料"
    rows = []
    now = timezone.now()
    for material in guide.materials.all():
        default = MaterialState.MISSING if material.required else MaterialState.NOT_APPLICABLE
        state = marks.get(material.position, default)
        if state not in MaterialState.values:
            errors[f"materials[{material.position}]"] = "材料收取情况无效"
            continue
        if state == MaterialState.DEFICIENT and not material.deficiency_allowed:
            errors[f"materials[{material.position}]"] = f"“{material.name}”不允许容缺"
        if state == MaterialState.NOT_APPLICABLE and material.required:
            errors[f"materials[{material.position}]"] = f"“{material.name}”是必要材料，不能标为不适用"
        rows.append(
            CaseMaterial(
                case=case,
                guide_material=material,
                position=material.position,
                name=material.name,
                required=material.required,
                deficiency_allowed=material.deficiency_allowed,
                state=state,
                problem=(problems.get(material.position) or "")[:300],
                received_at=now if state == MaterialState.RECEIVED else None,
            )
        )
    if errors:
        raise ValidationFailed("材料清单有误", code="case.materials_invalid", fields=errors)
    return rows


def scoped_idempotency_key(actor, key: str | None, citizen=None) -> str | None:
    """An idempotency key is the submitting account's: two kiosks may both send `42`."""
    if not key:
        return None
    owner = f"citizen{citizen.pk}" if citizen is not None else actor.pk
    return f"{owner}:{key.strip()[:60]}"


def retried_case(actor, key: str | None, citizen=None) -> Case | None:
    """The case an earlier submission with this key created, if any."""
    scoped = scoped_idempotency_key(actor, key, citizen)
    return Case.objects.filter(idempotency_key=scoped).first() if scoped else None


@transaction.atomic
def case_intake(
    *,
    actor,
    item,
    town: Region,
    applicant: Applicant,
    channel: str = Channel.WINDOW,
    materials: dict[int, str] | None = None,
    problems: dict[int, str] | None = None,
    village: Region | None = None,
    request_summary: str = "",
    idempotency_key: str | None = None,
    ticket=None,
    citizen=None,
) -> Case:
    """Receives an application (已接件): a numbered case in status 待受理 with its materials checklist.

    With an idempotency key, a retried submission returns the case the first one created. A citizen
    applying online passes themselves as `citizen` (actor: their AuditActor) and channel online."""
    if channel not in Channel.values:
        raise ValidationFailed(fields={"channel": "申请渠道无效"})
    _check_intake_actor(actor, town, channel, village, citizen)
    scoped_key = scoped_idempotency_key(actor, idempotency_key, citizen)
    if existing := retried_case(actor, idempotency_key, citizen):
        return existing
    applicant = applicant.cleaned()
    guide = _published_guide(item, town)
    if village is not None and village.parent_id != town.pk:
        raise ValidationFailed(fields={"village": "所选村（社区）不属于本镇街"})
    center = ServiceCenter.objects.filter(region=town, kind=ServiceCenter.Kind.TOWN_CENTER).first()
    if center is None:
        raise ValidationFailed(fields={"town": "本镇街尚未设立为民服务中心"})
    if ticket is not None and ticket.center_id != center.pk:
        raise ValidationFailed(fields={"ticket": "该排队号不属于本中心"})
    query_code = new_query_code()
    case = Case(
        number=next_case_number(town, timezone.localdate()),
        query_code=query_code,
        query_code_index=query_code_index(query_code),
        item=item,
        guide=guide,
        town=town,
        center=center,
        village=village,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_id_index=applicant.id_index(),
        contact_name=applicant.contact_name,
        contact_phone=applicant.phone,
        contact_phone_index=crypto.blind_index(applicant.phone, purpose="mobile"),
        address=applicant.address,
        request_summary=(request_summary or "").strip()[:300],
        channel=channel,
        agent=actor if effective_role(actor) == Role.AGENT else None,
        created_by=actor_user(actor),
        idempotency_key=scoped_key,
        ticket=ticket,
        citizen=citizen,
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    rows = _material_rows(case, guide, materials or {}, problems or {})
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        if scoped_key and (existing := Case.objects.filter(idempotency_key=scoped_key).first()):
            return existing  # the same submission, retried while the first was committing
        raise
    CaseMaterial.objects.bulk_create(rows)
    add_step(case, action=Action.SUBMIT, actor=actor, step=Step.RECEIVED, data={"channel": channel})
    audit(
        case,
        action=AuditAction.CASE_RECEIVED,
        actor=actor,
        before=None,
        summary=f"接件：{guide.name}（{Channel(channel).label}）",
        extra={"item": item.code, "channel": channel},
    )
    return case
