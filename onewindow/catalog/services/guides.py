"""Write use-cases for service items and their guide versions (draft → published → retired)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.catalog.item_codes import item_code_problem
from onewindow.catalog.models import (
    CatalogEntry,
    GuideMaterial,
    GuideStatus,
    GuideVersion,
    RouteStage,
    ServiceItem,
    SpecialProcedure,
)
from onewindow.catalog.pinyin import search_pinyin
from onewindow.catalog.routing import missing_departments
from onewindow.catalog.selectors import draft_of
from onewindow.catalog.services.permissions import require_item_manager
from onewindow.catalog.spec import (
    SCALAR_FIELDS,
    GuideSpec,
    normalize_spec,
    raise_if_invalid,
    spec_from_guide,
)
from onewindow.catalog.spec_text import CHANGE_NOTE_RULE, text_problem
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.org.models import BusinessCategory, Department, Region


def _actor_user(actor):
    return actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None


def _write_guide(guide: GuideVersion, spec: GuideSpec) -> None:
    """Copies spec into the (draft) guide and replaces its materials, procedures and stages."""
    for name in SCALAR_FIELDS:
        if name in ("source_department", "business_category", "result_sample"):
            continue
        setattr(guide, name, getattr(spec, name))
    guide.source_department = (
        Department.objects.get(code=spec.source_department, town__isnull=True) if spec.source_department else None
    )
    guide.business_category = (
        BusinessCategory.objects.get(code=spec.business_category) if spec.business_category else None
    )
    guide.result_sample.name = spec.result_sample or ""
    guide.faq = [{"question": f.question, "answer": f.answer} for f in spec.faq]
    guide.save()
    guide.materials.all().delete()
    guide.special_procedures.all().delete()
    guide.stages.all().delete()
    GuideMaterial.objects.bulk_create(
        GuideMaterial(
            guide=guide,
            position=i,
            name=m.name.strip(),
            form=m.form,
            copies=m.copies,
            source=m.source,
            required=m.required,
            deficiency_allowed=m.deficiency_allowed,
            note=m.note,
            sample_file=m.sample_file or "",
            blank_file=m.blank_file or "",
        )
        for i, m in enumerate(spec.materials, start=1)
    )
    SpecialProcedure.objects.bulk_create(
        SpecialProcedure(
            guide=guide,
            position=i,
            name=p.name.strip(),
            limit_days=p.limit_days,
            counted_in_limit=p.counted_in_limit,
            note=p.note,
        )
        for i, p in enumerate(spec.special_procedures, start=1)
    )
    RouteStage.objects.bulk_create(
        RouteStage(
            guide=guide,
            position=i,
            name=s.name.strip(),
            department_codes=list(s.department_codes),
            limit_days=s.limit_days,
        )
        for i, s in enumerate(spec.stages, start=1)
    )


def _refresh_item_index(item: ServiceItem, guide: GuideVersion) -> None:
    item.name = guide.name
    item.keywords = guide.keywords
    item.search_pinyin = search_pinyin(guide.name, guide.keywords)
    item.department_id = guide.source_department_id
    item.business_category_id = guide.business_category_id
    item.save(update_fields=["name", "keywords", "search_pinyin", "department", "business_category", "current_guide"])


def _lock_item(item: ServiceItem) -> ServiceItem:
    return ServiceItem.objects.select_for_update(of=("self",)).select_related("owner_town").get(pk=item.pk)


def validate_item_code(code: str) -> str:
    code = (code or "").strip()
    if problem := item_code_problem(code):
        raise ValidationFailed(fields={"code": problem}, code="item.bad_code")
    if ServiceItem.objects.filter(code=code).exists():
        raise ValidationFailed(fields={"code": f"实施编码“{code}”已存在"}, code="item.duplicate_code")
    return code


def _clean_change_note(change_note: str) -> str:
    change_note = (change_note or "").strip()
    if problem := text_problem(change_note, CHANGE_NOTE_RULE):
        raise ValidationFailed(fields={"change_note": problem}, code="guide.invalid")
    return change_note


@transaction.atomic
def item_create(
    *, actor, code: str, spec: GuideSpec, owner_town: Region | None = None, change_note: str = ""
) -> ServiceItem:
    """A new item with its first guide as a draft. A town's own item joins that town's catalog."""
    require_item_manager(actor, owner_town.pk if owner_town else None)
    if owner_town is not None and owner_town.level != Region.Level.TOWN:
        raise ValidationFailed(fields={"owner_town": "事项只能属于镇街或全县通用"})
    code = validate_item_code(code)
    change_note = _clean_change_note(change_note)
    spec = normalize_spec(spec)
    raise_if_invalid(spec, owner_town=owner_town)
    try:
        with transaction.atomic():  # a savepoint: two admins creating the same code at once
            item = ServiceItem.objects.create(code=code, owner_town=owner_town, name=spec.name)
    except IntegrityError as exc:
        raise ValidationFailed(fields={"code": f"实施编码“{code}”已存在"}, code="item.duplicate_code") from exc
    guide = GuideVersion(
        item=item, version=1, status=GuideStatus.DRAFT, change_note=change_note, created_by=_actor_user(actor)
    )
    _write_guide(guide, spec)
    _refresh_item_index(item, guide)
    if owner_town is not None:
        CatalogEntry.objects.create(town=owner_town, item=item)
    record(
        actor=actor,
        action=AuditAction.ITEM_CREATED,
        target=item,
        before=None,
        after={"code": code, "owner_town": owner_town.code if owner_town else None, "guide": spec.as_dict()},
        town=owner_town,
        summary=f"新增事项 {spec.name}（{code}）",
    )
    return item


@transaction.atomic
def guide_save_draft(*, actor, item: ServiceItem, spec: GuideSpec, change_note: str = "") -> GuideVersion:
    """Saves spec as the item's draft, starting a new version when only a published one exists."""
    item = _lock_item(item)
    require_item_manager(actor, item.owner_town_id)
    change_note = _clean_change_note(change_note)
    spec = normalize_spec(spec)
    raise_if_invalid(spec, owner_town=item.owner_town)
    draft = draft_of(item)
    base = draft or item.current_guide
    before = spec_from_guide(base).as_dict() if base else None
    if draft is None:
        latest = item.versions.order_by("-version").values_list("version", flat=True).first() or 0
        draft = GuideVersion(item=item, version=latest + 1, status=GuideStatus.DRAFT, created_by=_actor_user(actor))
    draft.change_note = change_note or draft.change_note
    _write_guide(draft, spec)
    if item.current_guide_id is None:
        _refresh_item_index(item, draft)
    record(
        actor=actor,
        action=AuditAction.GUIDE_DRAFT_SAVED,
        target=draft,
        before=before,
        after=spec.as_dict(),
        town=item.owner_town,
        summary=f"保存《{spec.name}》办事指南第{draft.version}版草稿",
    )
    return draft


def _towns_missing_departments(item: ServiceItem, guide: GuideVersion) -> dict[str, list[str]]:
    towns = Region.objects.filter(catalog_entries__item=item, catalog_entries__is_published=True)
    return {town.name: codes for town in towns if (codes := missing_departments(guide, town))}


@transaction.atomic
def guide_publish(*, actor, item: ServiceItem) -> GuideVersion:
    """Publishes the item's draft; the version it replaces is retired (cases keep pointing at it)."""
    item = _lock_item(item)
    require_item_manager(actor, item.owner_town_id)
    draft = draft_of(item)
    if draft is None:
        raise Conflict("该事项没有待发布的指南草稿", code="guide.no_draft")
    raise_if_invalid(spec_from_guide(draft), owner_town=item.owner_town)
    if missing := _towns_missing_departments(item, draft):
        detail = "；".join(f"{town}缺少{'、'.join(codes)}" for town, codes in missing.items())
        raise ValidationFailed(
            f"审批环节中的部门在已公布该事项的镇街不存在：{detail}",
            code="guide.route_unresolved",
            fields={"stages": detail},
        )
    today = timezone.localdate()
    previous = item.current_guide
    if previous is not None:
        previous.status = GuideStatus.RETIRED
        previous.valid_to = today
        previous.save(update_fields=["status", "valid_to"])
    draft.status = GuideStatus.PUBLISHED
    draft.valid_from = today
    draft.published_at = timezone.now()
    draft.published_by = _actor_user(actor)
    draft.save(update_fields=["status", "valid_from", "published_at", "published_by"])
    item.current_guide = draft
    _refresh_item_index(item, draft)
    record(
        actor=actor,
        action=AuditAction.GUIDE_PUBLISHED,
        target=draft,
        before={"version": previous.version} if previous else None,
        after={"version": draft.version, "valid_from": today},
        town=item.owner_town,
        summary=f"发布《{draft.name}》办事指南第{draft.version}版",
    )
    return draft


@transaction.atomic
def guide_discard_draft(*, actor, item: ServiceItem) -> None:
    item = _lock_item(item)
    require_item_manager(actor, item.owner_town_id)
    draft = draft_of(item)
    if draft is None:
        raise Conflict("该事项没有指南草稿", code="guide.no_draft")
    if item.current_guide_id is None and not item.versions.exclude(pk=draft.pk).exists():
        raise Conflict("这是该事项唯一的指南版本，不能删除；不再办理的事项请废止", code="guide.only_version")
    before = spec_from_guide(draft).as_dict()
    version = draft.version
    draft.delete()
    if item.current_guide_id is None:
        latest = item.versions.order_by("-version").first()
        if latest is not None:
            _refresh_item_index(item, latest)
    record(
        actor=actor,
        action=AuditAction.GUIDE_DRAFT_DISCARDED,
        target=item,
        before=before,
        after=None,
        town=item.owner_town,
        summary=f"删除《{item.name}》办事指南第{version}版草稿",
    )


@transaction.atomic
def item_retire(*, actor, item: ServiceItem, reason: str) -> ServiceItem:
    """Takes an item out of service (事项取消或调整): its guide is retired, a pending draft is discarded
    (publishing it later would bring the item back everywhere) and every town stops publishing it.
    The catalog entries stay, unpublished, so a town sees what was withdrawn."""
    item = _lock_item(item)
    require_item_manager(actor, item.owner_town_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": "请填写废止原因"})
    current = item.current_guide
    if current is None:
        raise Conflict("该事项没有现行指南，无需废止", code="item.not_in_service")
    today = timezone.localdate()
    current.status = GuideStatus.RETIRED
    current.valid_to = today
    current.save(update_fields=["status", "valid_to"])
    item.current_guide = None
    item.save(update_fields=["current_guide"])
    # Town chains before the county's (audit.record's order); entries after the item (every catalog
    # service locks the item first).
    entries = CatalogEntry.objects.select_for_update(of=("self",)).filter(item=item, is_published=True)
    for entry in entries.select_related("town", "window").order_by("town__code"):
        entry.is_published = False
        entry.save(update_fields=["is_published"])
        record(
            actor=actor,
            action=AuditAction.CATALOG_ENTRY_UPDATED,
            target=entry,
            before={"item": item.code, "is_published": True},
            after={"item": item.code, "is_published": False, "reason": "事项废止"},
            town=entry.town,
            summary=f"事项 {item.name} 废止，{entry.town.name}目录不再公布",
        )
    draft = draft_of(item)
    if draft is not None:
        before = spec_from_guide(draft).as_dict()
        version = draft.version
        draft.delete()
        record(
            actor=actor,
            action=AuditAction.GUIDE_DRAFT_DISCARDED,
            target=item,
            before=before,
            after={"reason": "事项废止"},
            town=item.owner_town,
            summary=f"事项废止，删除《{item.name}》办事指南第{version}版草稿",
        )
    record(
        actor=actor,
        action=AuditAction.ITEM_RETIRED,
        target=item,
        before={"version": current.version},
        after={"reason": reason},
        town=item.owner_town,
        summary=f"废止事项 {item.name}：{reason}",
    )
    return item
