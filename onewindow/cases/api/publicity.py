"""GET /api/v1/public/publicity/: a town's 结果公示 for a month (and item), without login — the same rows as the
portal page (a person's name masked, an enterprise's in full; no number, ID or phone), newest first."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.cases import selectors
from onewindow.cases.api.schemas import ERROR
from onewindow.catalog.api.views import town_param
from onewindow.core.errors import ValidationFailed

PublicityOut = inline_serializer(
    "PublicityOut",
    {
        "town_code": serializers.CharField(),
        "month": serializers.CharField(help_text="办结月份 YYYY-MM"),
        "results": inline_serializer(
            "PublicityRowOut",
            {
                "item_code": serializers.CharField(),
                "item_name": serializers.CharField(),
                "applicant": serializers.CharField(help_text="个人姓名脱敏（张*），企业名称全称"),
                "accepted_on": serializers.DateField(allow_null=True),
                "completed_on": serializers.DateField(),
                "result": serializers.CharField(),
            },
            many=True,
        ),
        "next_cursor": serializers.CharField(allow_null=True, help_text="下一页参数；为空表示没有更多"),
    },
)


@extend_schema(
    summary="办理结果公示（公开）",
    description="镇街已办结（准予）的公示事项，按办结时间倒序，每页30条。只含配置为结果公示的事项；个人姓名脱敏。",
    parameters=[
        OpenApiParameter("town", str, required=True, description="镇街12位统计用区划代码"),
        OpenApiParameter("month", str, description="办结月份 YYYY-MM，默认本月"),
        OpenApiParameter("item", str, description="事项实施编码"),
        OpenApiParameter("cursor", str, description="上一页返回的 next_cursor"),
    ],
    responses={200: PublicityOut, 400: ERROR},
    auth=[],
)
class PublicPublicityApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request):
        town = town_param(request)
        if town is None:
            raise ValidationFailed(fields={"town": "请指定镇街"}, code="publicity.town_required")
        month = selectors.publicity_month(request.query_params.get("month"), timezone.localdate())
        page = selectors.publicity_page(
            town,
            month=month,
            item_code=(request.query_params.get("item") or "").strip()[:64],
            cursor=request.query_params.get("cursor"),
        )
        return Response(
            {"town_code": town.code, "month": f"{month:%Y-%m}", "results": page.rows, "next_cursor": page.next_cursor}
        )
