"""网上预审: the front desk's queue of online submissions. Each row opens the case page, where the clerk sees
the uploaded files against the checklist and accepts, requests a correction (一次性告知) or rejects."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from onewindow.cases.selectors import PREREVIEW_TABS, prereview_counts, prereview_queue
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role


@login_required
@require_safe
def prereview(request):
    tab = request.GET.get("tab") or "submitted"
    tab = tab if tab in PREREVIEW_TABS else "submitted"
    page = prereview_queue(request.user, tab, cursor=request.GET.get("cursor"))  # refuses other roles (403)
    counts = prereview_counts(request.user)
    return render(
        request,
        "cases/prereview.html",
        {
            "tabs": [(name, label, counts[name]) for name, label in PREREVIEW_TABS.items()],
            "tab": tab,
            "tab_label": PREREVIEW_TABS[tab],
            "page": page,
            "show_town": effective_role(request.user) == Role.COUNTY_ADMIN,
        },
    )
