"""Public items API (DESIGN §4): guides are public, so no login; only published items are ever shown."""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from onewindow.catalog import selectors
from onewindow.catalog.api.serializers import ITEM_ROW_FIELDS, ItemDetailOut, ItemSummaryOut, guide_document, item_row
from onewindow.catalog.models import CatalogEntry
from onewindow.core.errors import NotFound, ValidationFailed

TOWN_CODE_RE = re.compile(r"^[0-9]{12}$")
SEARCH_LIMIT = 200

TOWN_PARAM = OpenApiParameter(
    "town", str, description="镇街12位统计用区划代码；指定后只返回该镇街已公布的事项，并给出指南页面地址"
)
Q_PARAM = OpenApiParameter(
    "q", str, description="检索词：事项名称、关键词、拼音全拼或首字母（如 dibao、dbsq）、部门、类别"
)
ERROR = OpenApiResponse(description='{"error": {"code", "message", "fields"}}')


class ItemPagination(LimitOffsetPagination):
    # An unauthenticated endpoint: ?limit=100000 must not serialise the whole county in one response.
    max_limit = 200


def town_param(request):
    """The ?town= region, or None; a malformed or unknown code is the caller's error (400)."""
    raw = (request.query_params.get("town") or "").strip()
    if not raw:
        return None
    if not TOWN_CODE_RE.match(raw):
        raise ValidationFailed(
            "镇街代码格式错误", code="catalog.bad_town", fields={"town": "镇街代码应为12位数字的统计用区划代码"}
        )
    try:
        return selectors.public_town(raw)
    except NotFound as exc:
        raise ValidationFailed(
            "未找到该镇街", code="catalog.unknown_town", fields={"town": f"未找到区划代码为 {raw} 的镇街"}
        ) from exc


@extend_schema(
    summary="事项清单（公开）",
    description="已公布事项；带 q 时按相关度排序，否则按实施编码排序。不带 town 时为任一镇街已公布的事项。",
    parameters=[TOWN_PARAM, Q_PARAM],
    responses={200: ItemSummaryOut(many=True), 400: ERROR},
)
class ItemListApi(ListAPIView):
    permission_classes = [AllowAny]
    pagination_class = ItemPagination
    serializer_class = ItemSummaryOut  # schema only: rows are built from .values() (see serializers.py)

    def list(self, request, *args, **kwargs):
        town = town_param(request)
        items = selectors.public_items(town)
        q = (request.query_params.get("q") or "").strip()
        if q:
            ranked = [hit.item.pk for hit in selectors.search_items(items, q, limit=SEARCH_LIMIT)]
            by_pk = {row.pop("pk"): row for row in items.filter(pk__in=ranked).values("pk", *ITEM_ROW_FIELDS)}
            rows = [by_pk[pk] for pk in ranked if pk in by_pk]
        else:
            rows = items.order_by("code").values(*ITEM_ROW_FIELDS)
        page = self.paginate_queryset(rows)
        town_code = town.code if town is not None else None
        return self.get_paginated_response([item_row(row, town_code=town_code, request=request) for row in page])


@extend_schema(
    summary="事项办事指南（公开）",
    description="事项现行办事指南的全部要素。指定 town 时给出该镇街的承办部门、受理窗口和指南页面地址。",
    parameters=[TOWN_PARAM, OpenApiParameter("code", str, OpenApiParameter.PATH, description="实施编码")],
    responses={200: ItemDetailOut, 400: ERROR, 404: ERROR},
)
class ItemDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = ItemDetailOut  # schema only: the document is built as a plain dict

    def get(self, request, code):
        town = town_param(request)
        guide = selectors.public_guide(code, town)
        entries = CatalogEntry.objects.published().filter(item_id=guide.item_id)
        window, file_town_code = None, None
        if town is not None:
            entry = entries.filter(town=town).select_related("window").first()
            window, file_town_code = (entry.window if entry else None), town.code
        elif guide.result_sample or any(m.sample_file or m.blank_file for m in guide.materials.all()):
            active = entries.filter(town__is_active=True).order_by("town__code")
            file_town_code = active.values_list("town__code", flat=True).first()
        return Response(guide_document(guide, town=town, file_town_code=file_town_code, window=window, request=request))
