"""Shared pieces of the catalog staff screens: who may open them, scoped look-ups, document links."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.urls import NoReverseMatch, reverse

from onewindow.catalog import selectors
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.services.permissions import require_item_manager
from onewindow.core.errors import Forbidden, NotFound
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.org.models import Region

CATALOG_STAFF_ROLES = frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR})


def catalog_staff_required(view):
    """Login, then only the county admin and center directors: the screens maintain the catalog.
    (Clerks read guides on the public pages.)"""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if effective_role(request.user) not in CATALOG_STAFF_ROLES:
            raise Forbidden("只有县行政审批服务局管理员和为民服务中心主任可以维护事项目录")
        return view(request, *args, **kwargs)

    return wrapper


def is_county_admin(user) -> bool:
    return effective_role(user) == Role.COUNTY_ADMIN


def item_for(actor, code: str) -> ServiceItem:
    """An item the actor may read (county-wide list + own town's); another town's is "not found"."""
    return one_or_not_found(selectors.items_for(actor), code=code)


def can_manage(actor, item: ServiceItem) -> bool:
    try:
        require_item_manager(actor, item.owner_town_id)
    except Forbidden:
        return False
    return True


def town_for(actor, town_code: str) -> Region:
    """A town whose catalog the actor manages: any for the county admin, their own for a director."""
    town = one_or_not_found(Region.objects.towns(), code=town_code)
    if not is_county_admin(actor) and actor.town_id != town.pk:
        raise NotFound()
    return town


# (label, URL name, takes the town code) — pages and files other catalog modules serve.
_TOWN_DOCUMENTS = (
    ("一窗受理事项目录（PDF）", "catalog:doc-catalog-pdf"),
    ("一窗受理事项目录（Excel）", "catalog:doc-catalog-xlsx"),
    ("标准化受理材料指导手册（PDF）", "catalog:doc-handbook-pdf"),
    ("二维码便民服务墙（打印版PDF）", "catalog:doc-qrwall-pdf"),
    ("二维码便民服务墙（网页）", "catalog:qr-wall"),
)
_COUNTY_TOOLS = (
    ("从Excel导入事项", "catalog:excel-import"),
    ("导出事项目录Excel", "catalog:excel-export"),
)


def _links(pairs, *args) -> list[tuple[str, str]]:
    # A page another module has not (yet) defined is left out rather than breaking this screen.
    links = []
    for label, name in pairs:
        try:
            links.append((label, reverse(name, args=args)))
        except NoReverseMatch:
            continue
    return links


def town_document_links(town: Region) -> list[tuple[str, str]]:
    return _links(_TOWN_DOCUMENTS, town.code)


def excel_links() -> list[tuple[str, str]]:
    return _links(_COUNTY_TOOLS)
