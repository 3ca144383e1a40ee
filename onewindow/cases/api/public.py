"""GET /api/v1/public/progress/: 办件进度 by number and query code, without login (DESIGN §4).

Masked data only. A wrong number and a wrong code get the same 404; failures are counted per client
address (shared with the progress page, so alternating the two does not double the guesses) and the
eleventh within fifteen minutes is refused with 429. The lookup never asks for an ID or phone number, so
none can reach a URL or a log line, and this module logs nothing.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.cases import selectors
from onewindow.cases.api import documents
from onewindow.cases.api.schemas import ERROR, ProgressOut
from onewindow.cases.public import GUESSES, PUBLIC_STEP_LABELS
from onewindow.core.errors import NotFound
from onewindow.core.middleware import client_ip


class ProgressNotFound(NotFound):
    code = "progress.not_found"
    message = "办件编号或查询码不正确，请核对受理通知书或短信后重新输入"


@extend_schema(
    summary="办件进度查询（公开）",
    description="凭办件编号和查询码查询，无需登录。只返回脱敏信息；同一地址15分钟内查错10次后暂停查询。",
    parameters=[
        OpenApiParameter("number", str, required=True, description="办件编号"),
        OpenApiParameter("query_code", str, required=True, description="查询码（受理通知书、短信上）"),
    ],
    responses={
        200: ProgressOut,
        404: ERROR,
        429: OpenApiResponse(description="查错次数过多，请15分钟后再试"),
    },
    auth=[],
)
class PublicProgressApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request):
        who = client_ip(request) or "unknown"
        GUESSES.check(who)
        case = selectors.public_progress(request.query_params.get("number"), request.query_params.get("query_code"))
        if case is None:
            GUESSES.fail(who)
            raise ProgressNotFound()
        return Response(documents.progress_document(case, step_labels=PUBLIC_STEP_LABELS))
