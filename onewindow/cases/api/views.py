"""Cases API (DESIGN §4): intake, the scoped detail, work queues, one call per action, review tasks.

Each view parses its input, calls one service or selector and renders a plain dict. Scoping is the
selectors' and services' business: another town's case is "not found", whoever asks.
"""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.cases import selectors
from onewindow.cases.api import documents
from onewindow.cases.api.schemas import (
    ERROR,
    CaseCreatedOut,
    CaseDetailOut,
    CaseQueuePageOut,
    TaskQueuePageOut,
)
from onewindow.cases.api.serializers import CaseCreateIn, renamed_fields, validated
from onewindow.cases.models import Case, ReviewTask
from onewindow.cases.services.intake import Applicant, case_intake, retried_case
from onewindow.core.errors import ValidationFailed
from onewindow.core.scoping import one_or_not_found

CASE_QUEUES = {name: label for name, label in selectors.QUEUES.items() if name != "my_tasks"}
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,60}$")  # visible ASCII: a UUID, a device's own request id…

NUMBER_PARAM = OpenApiParameter("number", str, OpenApiParameter.PATH, description="办件编号")
TASK_PARAM = OpenApiParameter("task_id", int, OpenApiParameter.PATH, description="审批任务 id")
CURSOR_PARAM = OpenApiParameter("cursor", str, description="上一页返回的 next_cursor")
SIZE_PARAM = OpenApiParameter(
    "size", int, description=f"每页条数，1–{selectors.MAX_PAGE_SIZE}，缺省{selectors.PAGE_SIZE}"
)
QUEUE_PARAM = OpenApiParameter(
    "queue",
    str,
    required=True,
    enum=list(CASE_QUEUES),
    description="工作队列：" + "；".join(f"{name} {label}" for name, label in CASE_QUEUES.items()),
)
IDEMPOTENCY_PARAM = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="重复提交同一申请时带相同的键（1–60个可见ASCII字符），返回第一次创建的办件（200），不会重复接件",
)
ACTION_ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


def _page_size(request) -> int:
    raw = request.query_params.get("size")
    if raw in (None, ""):
        return selectors.PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= selectors.MAX_PAGE_SIZE:
        raise ValidationFailed(fields={"size": f"每页条数应为1到{selectors.MAX_PAGE_SIZE}的整数"})
    return size


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationFailed(fields={"Idempotency-Key": "幂等键应为1到60个可见ASCII字符"})
    return key


class CaseListCreateApi(APIView):
    @extend_schema(
        summary="工作队列中的办件",
        operation_id="cases_queue",
        description="按办结期限升序（无期限的在后），键集分页。审批任务队列见 /api/v1/tasks/。",
        parameters=[QUEUE_PARAM, CURSOR_PARAM, SIZE_PARAM],
        responses={200: CaseQueuePageOut, 400: ERROR},
    )
    def get(self, request):
        name = request.query_params.get("queue") or ""
        if name not in CASE_QUEUES:
            raise ValidationFailed(fields={"queue": "请选择工作队列：" + "、".join(CASE_QUEUES)})
        page = selectors.queue(request.user, name, cursor=request.query_params.get("cursor"), size=_page_size(request))
        return Response({"results": [documents.case_row(row) for row in page.rows], "next_cursor": page.next_cursor})

    @extend_schema(
        summary="接件（综合受理）",
        operation_id="cases_create",
        description="收到一份申请：生成办件编号和查询码，状态为待受理。带 Idempotency-Key 的重试返回第一次的办件。",
        request=CaseCreateIn,
        parameters=[IDEMPOTENCY_PARAM],
        responses={201: CaseCreatedOut, 200: CaseCreatedOut, 400: ERROR, 403: ERROR},
    )
    def post(self, request):
        key = _idempotency_key(request)
        data = validated(CaseCreateIn, request.data)
        town = data.get("town") or getattr(request.user, "town", None)
        if town is None:
            raise ValidationFailed(fields={"town": "请填写受理镇街的区划代码"})
        retried = retried_case(request.user, key) is not None  # a retry is answered 200, not 201
        try:
            case = case_intake(
                actor=request.user,
                item=data["item"],
                town=town,
                applicant=Applicant(**data["applicant"]),
                channel=data["channel"],
                materials=data.get("materials") or {},
                village=data.get("village"),
                request_summary=data["request_summary"],
                idempotency_key=key,
            )
        except ValidationFailed as error:
            raise renamed_fields(error) from None
        return Response(documents.created(case), status=200 if retried else 201)


@extend_schema(
    summary="办件详情",
    description="申请人信息已脱敏；含材料、审批任务、办理过程（含省平台环节代码）和文书。",
    parameters=[NUMBER_PARAM],
    responses={200: CaseDetailOut, 404: ERROR},
)
class CaseDetailApi(APIView):
    def get(self, request, number):
        return Response(documents.case_document(selectors.case_detail(request.user, number)))


class CaseActionApi(APIView):
    """POST /cases/{number}/{action}/: one input serializer, one service call, the case detail back."""

    input_class = None
    service = None

    def post(self, request, number):
        case = one_or_not_found(selectors.cases_for(request.user).only("pk"), number=number)
        data = validated(self.input_class, request.data)
        type(self).service(actor=request.user, case=case, **data)
        return Response(documents.case_document(selectors.case_detail(request.user, number)))


class TaskActionApi(APIView):
    """POST /tasks/{id}/{action}/. The service locks the task and scopes it: another town's task is not found,
    another department's is forbidden."""

    input_class = None
    service = None

    def post(self, request, task_id):
        data = validated(self.input_class, request.data, actor=request.user)
        task = type(self).service(actor=request.user, task=ReviewTask(pk=task_id), **data)
        number = Case.objects.filter(pk=task.case_id).values_list("number", flat=True).get()
        return Response(documents.case_document(selectors.case_detail(request.user, number)))


def action_view(base, name: str, *, input_class, service, summary: str):
    """A documented view class for one action: its own request body and summary in the OpenAPI schema."""
    view = type(name, (base,), {"input_class": input_class, "service": staticmethod(service)})
    parameter = NUMBER_PARAM if base is CaseActionApi else TASK_PARAM
    return extend_schema(
        summary=summary,
        request=input_class,
        parameters=[parameter],
        responses={200: CaseDetailOut, **ACTION_ERRORS},
    )(view).as_view()


@extend_schema(
    summary="我的审批任务",
    description="本人所在部门待审批的任务，按环节期限升序，键集分页。",
    parameters=[CURSOR_PARAM, SIZE_PARAM],
    responses={200: TaskQueuePageOut, 400: ERROR},
)
class TaskListApi(APIView):
    def get(self, request):
        page = selectors.queue(
            request.user, "my_tasks", cursor=request.query_params.get("cursor"), size=_page_size(request)
        )
        return Response({"results": [documents.task_row(row) for row in page.rows], "next_cursor": page.next_cursor})
