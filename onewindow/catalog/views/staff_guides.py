"""Guide life-cycle actions with a confirmation step (publish, discard the draft, retire the item),
the version history with a field-by-field comparison, and downloads of uploaded files for staff."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render

from onewindow.catalog import selectors
from onewindow.catalog.safe_output import safe_filename
from onewindow.catalog.services import guide_discard_draft, guide_publish, item_retire
from onewindow.catalog.services.files import FILE_KINDS
from onewindow.catalog.services.permissions import require_item_manager
from onewindow.catalog.spec import spec_from_guide
from onewindow.catalog.views.staff_common import catalog_staff_required, item_for
from onewindow.catalog.views.staff_diff import diff_specs, scalar_label
from onewindow.core.errors import Conflict, NotFound, ValidationFailed

_PATH_LABELS = {"stages": "后台审批环节", "materials": "申请材料", "special_procedures": "特别程序", "faq": "常见问题"}


def _error_lines(error: ValidationFailed) -> list[tuple[str, str]]:
    """(where, message) for each field error of a service, with Chinese names for the paths."""
    lines = []
    for path, message in (error.fields or {}).items():
        head = path.split("[", 1)[0].split(".", 1)[0]
        if head in _PATH_LABELS:
            where = _PATH_LABELS[head]
            if "[" in path:
                where += f"第{int(path.split('[', 1)[1].split(']', 1)[0]) + 1}行"
        else:
            try:
                where = scalar_label(head)
            except FieldDoesNotExist:  # a path that is not a guide field (reason, item…)
                where = ""
        lines.append((where, message))
    return lines


def _confirm(request, item, action: str, *, status=200, **extra):
    context = {"item": item, "action": action, **extra}
    return render(request, "catalog/staff/confirm.html", context, status=status)


def _managed_item(request, code):
    item = item_for(request.user, code)
    require_item_manager(request.user, item.owner_town_id)
    return item


@catalog_staff_required
def item_publish(request, code):
    item = _managed_item(request, code)
    draft = selectors.draft_of(item)
    if draft is None:
        messages.error(request, "该事项没有待发布的指南草稿。")
        return redirect("catalog:staff-item", code=item.code)
    current = item.current_guide
    changes = diff_specs(spec_from_guide(current) if current else None, spec_from_guide(draft))
    if request.method != "POST":
        return _confirm(request, item, "publish", draft=draft, changes=changes)
    try:
        guide = guide_publish(actor=request.user, item=item)
    except ValidationFailed as error:
        return _confirm(
            request,
            item,
            "publish",
            draft=draft,
            changes=changes,
            error=error,
            error_lines=_error_lines(error),
            route_problem=error.code == "guide.route_unresolved",
            status=400,
        )
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("catalog:staff-item", code=item.code)
    replaced = f"，第{current.version}版同时废止（已受理的办件仍按原版本办理）" if current else ""
    messages.success(request, f"已发布办事指南第{guide.version}版，今日起生效{replaced}。")
    return redirect("catalog:staff-item", code=item.code)


@catalog_staff_required
def item_discard(request, code):
    item = _managed_item(request, code)
    draft = selectors.draft_of(item)
    if draft is None:
        messages.error(request, "该事项没有指南草稿。")
        return redirect("catalog:staff-item", code=item.code)
    if request.method != "POST":
        return _confirm(request, item, "discard", draft=draft)
    try:
        guide_discard_draft(actor=request.user, item=item)
    except (Conflict, ValidationFailed) as error:
        messages.error(request, error.message)
        return redirect("catalog:staff-item", code=item.code)
    messages.success(request, f"已删除办事指南第{draft.version}版草稿。")
    return redirect("catalog:staff-item", code=item.code)


@catalog_staff_required
def item_retire_view(request, code):
    item = _managed_item(request, code)
    if item.current_guide is None:
        messages.error(request, "该事项没有现行指南，无需废止。")
        return redirect("catalog:staff-item", code=item.code)
    if request.method != "POST":
        return _confirm(request, item, "retire", reason="")
    reason = request.POST.get("reason", "")
    try:
        item_retire(actor=request.user, item=item, reason=reason)
    except ValidationFailed as error:
        return _confirm(
            request, item, "retire", reason=reason, reason_error=error.fields.get("reason", error.message), status=400
        )
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("catalog:staff-item", code=item.code)
    messages.success(request, f"已废止事项“{item.name}”，各镇街目录不再向群众公布该事项。")
    return redirect("catalog:staff-item", code=item.code)


def _versions_with_changes(item):
    """Oldest first: each version with what changed from the one before it."""
    versions = list(selectors.guide_history(item).prefetch_related(*selectors.GUIDE_PREFETCH))
    versions.reverse()
    previous = None
    rows = []
    for version in versions:
        spec = spec_from_guide(version)
        rows.append((version, diff_specs(previous, spec) if previous else None))
        previous = spec
    rows.reverse()
    return rows


@catalog_staff_required
def item_history(request, code):
    item = item_for(request.user, code)
    return render(request, "catalog/staff/item_history.html", {"item": item, "rows": _versions_with_changes(item)})


@catalog_staff_required
def version_detail(request, code, version):
    item = item_for(request.user, code)
    guide = selectors.guide_history(item).prefetch_related(*selectors.GUIDE_PREFETCH).filter(version=version).first()
    if guide is None:
        raise NotFound("该事项没有这个版本")
    previous = selectors.guide_history(item).filter(version__lt=version).first()
    changes = diff_specs(spec_from_guide(previous), spec_from_guide(guide)) if previous else None
    return render(
        request,
        "catalog/staff/version_detail.html",
        {"item": item, "guide": guide, "previous": previous, "changes": changes},
    )


@catalog_staff_required
def version_file(request, code, version, kind, position):
    """An uploaded file of any version the staff member can read (the public download is elsewhere)."""
    item = item_for(request.user, code)
    guide = selectors.guide_history(item).filter(version=version).first()
    if guide is None or kind not in FILE_KINDS:
        raise NotFound()
    field, _, label, _ = FILE_KINDS[kind]
    holder = guide if kind == "result" else guide.materials.filter(position=position).first()
    stored = getattr(holder, field).name if holder is not None else ""
    if not stored or not default_storage.exists(stored):
        raise NotFound("文件不存在")
    title = guide.name if kind == "result" else holder.name
    filename = safe_filename(f"{title}-{label}", PurePath(stored).suffix.lower())
    return FileResponse(default_storage.open(stored, "rb"), as_attachment=True, filename=filename)
