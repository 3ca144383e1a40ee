"""Scoped reads of the catalog: items for staff, published guides for the public, and search."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from onewindow.catalog.models import CatalogEntry, GuideStatus, GuideVersion, ServiceItem
from onewindow.catalog.pinyin import latin_key, normalize_query, split_keywords
from onewindow.core.errors import NotFound
from onewindow.core.scoping import one_or_not_found
from onewindow.org.models import Region

GUIDE_PREFETCH = ("materials", "special_procedures", "stages")


def items_for(actor) -> QuerySet[ServiceItem]:
    """Items a staff member may read: the county-wide list and their own town's items."""
    return ServiceItem.objects.visible_to(actor).select_related("current_guide", "owner_town", "department")


def guide_history(item: ServiceItem) -> QuerySet[GuideVersion]:
    return item.versions.select_related("created_by", "published_by").order_by("-version")


def public_towns() -> QuerySet[Region]:
    return Region.objects.towns().filter(is_active=True).order_by("code")


def public_town(code: str) -> Region:
    return one_or_not_found(public_towns(), code=code)


def public_entries(town: Region) -> QuerySet[CatalogEntry]:
    """A town's published catalog, as the public sees it."""
    return (
        CatalogEntry.objects.published()
        .filter(town=town)
        .select_related("item__current_guide__business_category", "item__current_guide__source_department", "window")
        .order_by("item__current_guide__window_category", "item__business_category__sort_order", "item__code")
    )


def public_guide(code: str, town: Region | None = None) -> GuideVersion:
    """The current guide of a published item (in `town`'s published catalog when given)."""
    items = ServiceItem.objects.filter(code=code, current_guide__isnull=False)
    if town is not None:
        items = items.filter(catalog_entries__town=town, catalog_entries__is_published=True)
    else:
        items = items.filter(catalog_entries__is_published=True)
    if not items.exists():
        raise NotFound("未找到该事项，或该事项尚未公布")
    return (
        GuideVersion.objects.filter(item__code=code, status=GuideStatus.PUBLISHED)
        .select_related("item", "source_department", "business_category")
        .prefetch_related(*GUIDE_PREFETCH)
        .get()
    )


@dataclass(frozen=True)
class SearchHit:
    item: ServiceItem
    score: int


def _term_filter(term: str) -> Q:
    q = (
        Q(name__icontains=term)
        | Q(keywords__icontains=term)
        | Q(department__name__icontains=term)
        | Q(business_category__name__icontains=term)
        | Q(code__iexact=term)
    )
    key = latin_key(term)
    if key:
        q |= Q(search_pinyin__contains=key)
    return q


def _term_score(item: ServiceItem, term: str) -> int:
    """How well one query term matches an item; 0 when it does not."""
    name = item.name
    keywords = split_keywords(item.keywords)
    if term == name:
        return 100
    if name.startswith(term):
        return 85
    if term in keywords:
        return 80
    if term in name:
        return 70
    if any(term in k for k in keywords):
        return 55
    key = latin_key(term)
    if key:
        lines = item.search_pinyin.splitlines()
        best = 0
        for index, line in enumerate(lines):
            full, _, initials = line.partition(" ")
            weight = 0 if index == 0 else 10  # the name ranks above a keyword
            if key in (full, initials):
                best = max(best, 80 - weight)
            elif full.startswith(key) or initials.startswith(key):
                best = max(best, 65 - weight)
            elif key in full or key in initials:
                best = max(best, 45 - weight)
        if best:
            return best
    if term.lower() == item.code.lower():
        return 90
    if item.department_id and term in item.department.name:
        return 25
    if item.business_category_id and term in item.business_category.name:
        return 25
    return 0


def search_items(items: QuerySet[ServiceItem], q: str, *, limit: int = 50) -> list[SearchHit]:
    """Items matching every term of q (Chinese, pinyin, initials, code, department or category),
    best first: exact name, name prefix, keyword, pinyin, then department or category."""
    terms = normalize_query(q).split(" ")
    terms = [t for t in terms if t]
    if not terms:
        return []
    candidates = items
    for term in terms:
        candidates = candidates.filter(_term_filter(term))
    hits = []
    for item in candidates.select_related("department", "business_category")[:2000]:
        scores = [_term_score(item, term) for term in terms]
        if all(scores):
            hits.append(SearchHit(item=item, score=sum(scores)))
    hits.sort(key=lambda h: (-h.score, len(h.item.name), h.item.code))
    return hits[:limit]


def public_items(town: Region | None = None) -> QuerySet[ServiceItem]:
    """Items the public can see: in service and published in a town's catalog (that town's if given)."""
    entries = CatalogEntry.objects.filter(is_published=True)
    if town is not None:
        entries = entries.filter(town=town)
    return ServiceItem.objects.in_service().filter(pk__in=entries.values("item_id"))


def town_catalog_entries(actor, town: Region) -> QuerySet[CatalogEntry]:
    return (
        CatalogEntry.objects.visible_to(actor)
        .filter(town=town)
        .select_related("item__current_guide", "window")
        .prefetch_related(Prefetch("item__versions"))
    )
