"""Read endpoints for the 好差评 figures: GET /api/v1/ratings/figures/ and /api/v1/ratings/ranking/."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from onewindow.core.errors import ValidationFailed
from onewindow.core.months import parse_month
from onewindow.feedback import figures
from onewindow.feedback.views.figures import figure_towns

PARAMETERS = [
    OpenApiParameter("month", OpenApiTypes.STR, description="月份，如 2026-11；缺省为本月"),
    OpenApiParameter("town", OpenApiTypes.STR, description="镇街区划代码；缺省为本人辖区（县局为全县）"),
]


@extend_schema(
    summary="好差评统计（按窗口、工作人员、事项或镇街）",
    parameters=[*PARAMETERS, OpenApiParameter("by", OpenApiTypes.STR, enum=list(figures.DIMENSIONS))],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
def rating_figures(request):
    towns = figure_towns(request.user, request.query_params.get("town"))
    month = parse_month(request.query_params.get("month"), default=timezone.localdate())
    by = request.query_params.get("by") or "town"
    if by not in figures.DIMENSIONS:
        raise ValidationFailed(fields={"by": "统计维度只能是 window、staff、item 或 town"})
    rows = figures.month_figures(month=month, by=by, towns=towns)
    return Response({"month": f"{month:%Y-%m}", "by": by, "rows": [r.as_dict() for r in rows]})


@extend_schema(summary="窗口好差评月度排名", parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def window_ranking(request):
    towns = figure_towns(request.user, request.query_params.get("town"))
    month = parse_month(request.query_params.get("month"), default=timezone.localdate())
    rows = figures.window_ranking(month=month, towns=towns)
    return Response(
        {"month": f"{month:%Y-%m}", "min_ratings": figures.MIN_RATINGS_TO_RANK, "rows": [r.as_dict() for r in rows]}
    )
