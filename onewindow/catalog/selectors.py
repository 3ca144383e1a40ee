"""Scoped reads of the catalog: items for staff, published guides for the public, and search."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from onewindow.catalog.models import CatalogEntry, GuideStatus, GuideVersion, ServiceItem
from onewindow.catalog.pinyin import latin_key, normalize_query, split_keywords
from onewindow.core.errors import NotFound
from onewindow.core.scoping import one_or_not_found
from onewindow.org.models import Region

GUIDE_PREFETCH = ("materials", "special_procedures", "stages")


def items_for(actor) -> QuerySet[ServiceItem]:
    """Items a staff member may read: the county-wide list and their own town's items."""
    return ServiceItem.objects.visible_to(actor).select_related("current_guide", "owner_town", "department")


def draft_of(item: ServiceItem) -> GuideVersion | None:
    """The item's unpublished draft guide, if it has one (there is at most one)."""
    return item.versions.filter(status=GuideStatus.DRAFT).first()


def guide_history(item: ServiceItem) -> QuerySet[GuideVersion]:
    return item.versions.select_related(
        "created_by", "published_by", "source_department", "business_category"
    ).order_by("-version")


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
    else:  # published by any town still in service (a merged-away town's catalog is not public)
        items = items.filter(catalog_entries__is_published=True, catalog_entries__town__is_active=True)
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
    if key and len(key) == 1:
        # One letter (the first key typed in a search box) matches where a phrase starts — `d` finds
        # 低保、代开发票 — not every item with a d somewhere in its pinyin (most of the catalog).
        q |= Q(search_pinyin__startswith=key) | Q(search_pinyin__contains="\n" + key)
    elif key:
        q |= Q(search_pinyin__contains=key)
    return q


def _term_score(row: dict, term: str) -> int:
    """How well one query term matches an item (a row of search_items' fields); 0 when it does not."""
    name = row["name"]
    keywords = split_keywords(row["keywords"])
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
        best = 0
        for index, line in enumerate(row["search_pinyin"].splitlines()):
            full, _, initials = line.partition(" ")
            # Just below the Chinese ladder: exact name, name prefix, exact keyword, inside the name,
            # keyword prefix, inside a keyword (so `yanglao` ranks 养老保险 items above a 养老保险缴费 keyword).
            exact, prefix, inside = (90, 80, 65) if index == 0 else (75, 55, 50)
            if key in (full, initials):
                best = max(best, exact)
            elif full.startswith(key) or initials.startswith(key):
                best = max(best, prefix)
            elif len(key) > 1 and (key in full or key in initials):
                best = max(best, inside)
        if best:
            return best
    if term.lower() == row["code"].lower():
        return 90
    if term in (row["department__name"] or ""):
        return 25
    if term in (row["business_category__name"] or ""):
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
    # Scored from plain rows: building a model (and its department and category) for each of hundreds
    # of candidates cost more than the query itself. Only the hits returned are loaded as items.
    rows = candidates.values(
        "pk", "name", "keywords", "search_pinyin", "code", "department__name", "business_category__name"
    )[:10_000]
    ranked = []
    for row in rows:
        scores = [_term_score(row, term) for term in terms]
        if all(scores):
            ranked.append((-sum(scores), len(row["name"]), row["code"], row["pk"]))
    ranked.sort()
    ranked = ranked[:limit]
    if not ranked:
        return []
    shown = items.select_related("department", "business_category").filter(pk__in=[r[3] for r in ranked])
    by_pk = {item.pk: item for item in shown}
    return [SearchHit(item=by_pk[pk], score=-score) for score, _, _, pk in ranked if pk in by_pk]


def public_items(town: Region | None = None) -> QuerySet[ServiceItem]:
    """Items the public can see: in service and published in a town's catalog (that town's if given)."""
    published = CatalogEntry.objects.filter(is_published=True)
    # Without a town: any town still in service (a merged-away town's catalog is not public).
    entries = published.filter(town=town) if town is not None else published.filter(town__is_active=True)
    return ServiceItem.objects.in_service().filter(pk__in=entries.values("item_id"))


def town_catalog_entries(actor, town: Region) -> QuerySet[CatalogEntry]:
    return CatalogEntry.objects.visible_to(actor).filter(town=town).select_related("item__current_guide", "window")
