"""结果公示: per town, the approved results of items whose guides publish them — item, applicant (a person's
name masked to the surname), accepted and completed dates, result — by month and item. No login.

Only what the selector returns is shown: nothing of other towns, of drafts, rejected or withdrawn cases, or of
items that do not publish results; never a case number, ID or phone number.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from onewindow.cases.selectors import publicity_items, publicity_month, publicity_page
from onewindow.catalog.selectors import public_town

MONTHS_OFFERED = 12


def _months(today: date, count: int = MONTHS_OFFERED) -> list[date]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


@require_safe
def publicity(request, town_code: str):
    town = public_town(town_code)  # an unknown or inactive town: 404
    today = timezone.localdate()
    month = publicity_month(request.GET.get("month"), today)
    item_code = (request.GET.get("item") or "").strip()[:64]
    page = publicity_page(town, month=month, item_code=item_code, cursor=request.GET.get("cursor"))
    months = _months(today)
    if month not in months:
        months.append(month)
    next_query = ""
    if page.next_cursor:
        next_query = urlencode({"month": f"{month:%Y-%m}", "item": item_code, "cursor": page.next_cursor})
    return render(
        request,
        "portal/publicity.html",
        {
            "town": town,
            "month": month,
            "months": months,
            "items": publicity_items(town),
            "item_code": item_code,
            "page": page,
            "first_page": not request.GET.get("cursor"),
            "next_query": next_query,
        },
    )


urlpatterns = [path("publicity/<str:town_code>/", publicity, name="publicity")]
