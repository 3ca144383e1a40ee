"""Hall API (DESIGN §4): a kiosk takes tickets, a window calls and serves them, a screen reads the board.

Each view parses its input, calls one selector or service and renders a plain dict. Scoping is the selectors'
and services' business: another town's center, window or ticket is "not found", whoever asks; the calling
services allow window staff only (a device account may take tickets and read the board, not call).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.core.pii import InvalidIdNumber
from onewindow.core.scoping import one_or_not_found
from onewindow.hall import selectors
from onewindow.hall.api.serializers import (
    HallBoardOut,
    HallTicketIssuedOut,
    HallWindowActionOut,
    TicketHoldIn,
    TicketIssueIn,
    TicketRefIn,
    TicketTransferIn,
    issued_document,
    ticket_document,
    validated,
)
from onewindow.hall.board import board_center, board_payload
from onewindow.hall.models import QueueCategory, Ticket, TicketStatus
from onewindow.hall.services import calling
from onewindow.hall.services.appointments import appointment_check_in
from onewindow.hall.services.tickets import ticket_issue
from onewindow.hall.views.common import follow_url
from onewindow.org.models import Window

ERROR = OpenApiResponse(description='{"error": {"code", "message", "fields"}}，message 为中文')
CENTER_PARAM = OpenApiParameter("center_id", int, OpenApiParameter.PATH, description="镇街为民服务中心 id")
WINDOW_PARAM = OpenApiParameter("window_id", int, OpenApiParameter.PATH, description="窗口 id")
SINCE_PARAM = OpenApiParameter(
    "since", str, description="上次拿到的 version；未变化时只返回 {version, changed: false}，用于轮询"
)
DAY_PARAM = OpenApiParameter("day", str, description="上次拿到的 day（可选）：日期变了也返回全部数据")


def _category(center, code: str) -> QueueCategory:
    category = QueueCategory.objects.filter(center=center, code=code).first()
    if category is None:
        raise ValidationFailed(fields={"category": "本中心没有该取号类别"})
    return category


@extend_schema(
    summary="取号（取号机、窗口代取）",
    description=(
        "按类别取号，或凭预约码签到取号（appointment_code，此时不填 category）。返回号码、前面等候人数、"
        "预计等候和小票二维码的跟踪网址。暂停取号的类别、非取号时间、号源已满均为 409。"
    ),
    parameters=[CENTER_PARAM],
    request=TicketIssueIn,
    responses={201: HallTicketIssuedOut, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
)
class TicketIssueApi(APIView):
    def post(self, request, center_id):
        center = selectors.kiosk_center(request.user, center_id)
        data = validated(TicketIssueIn, request.data)
        if data["appointment_code"]:
            ticket = appointment_check_in(actor=request.user, center=center, code=data["appointment_code"])
        elif not data["category"]:
            raise ValidationFailed(fields={"category": "请选择取号类别，或填写预约码"})
        else:
            try:
                ticket = ticket_issue(
                    actor=request.user,
                    category=_category(center, data["category"]),
                    source=data["source"],
                    priority=data["priority"],
                    id_number=data["id_number"],
                )
            except InvalidIdNumber as exc:  # the service says what is wrong; the API names the field
                raise ValidationFailed(fields={"id_number": exc.message}) from None
        return Response(issued_document(ticket, follow_url(request, ticket)), status=201)


@extend_schema(
    summary="大屏数据",
    description=(
        "各窗口当前叫号、各开放类别的等候人数和预计等候、最近叫号。实时推送见同一地址加 stream/"
        "（text/event-stream，事件名 board，data 为本接口的 JSON；每15秒一行注释作心跳），由 ASGI 进程提供。"
    ),
    parameters=[CENTER_PARAM, SINCE_PARAM, DAY_PARAM],
    responses={200: HallBoardOut, 401: ERROR, 403: ERROR, 404: ERROR},
)
class BoardApi(APIView):
    def get(self, request, center_id):
        center = board_center(request.user, center_id)
        return Response(board_payload(center, request.query_params.get("since"), request.query_params.get("day")))


class WindowActionApi(APIView):
    """POST /hall/windows/{id}/{action}/: the window (scoped), the ticket (given, or the window's current one),
    one service call, the ticket back."""

    input_class = TicketRefIn
    act = None

    def post(self, request, window_id):
        window = one_or_not_found(Window.objects.visible_to(request.user).select_related("center"), pk=window_id)
        data = validated(self.input_class, request.data)
        return Response(type(self).act(request.user, window, data))


def _ticket(window, data, *, statuses=(TicketStatus.CALLED, TicketStatus.SERVING)) -> Ticket:
    """The ticket the action is about: the one named (of this window's center; the service checks it is this
    window's), or the window's current one (a held ticket is finished or transferred by naming it)."""
    if data.get("ticket"):
        return selectors.window_ticket(window, data["ticket"])
    current = list(Ticket.objects.filter(window=window, status__in=statuses).order_by("-called_at")[:2])
    if len(current) != 1:
        what = "暂挂的号" if statuses == (TicketStatus.HELD,) else "正在叫号或办理的号"
        detail = f"该窗口当前没有{what}" if not current else f"该窗口有多个{what}，请指明 ticket"
        raise Conflict(detail, code="hall.no_current_ticket")
    return current[0]


def _done(ticket, message: str) -> dict:
    ticket = Ticket.objects.select_related("category", "window").get(pk=ticket.pk)
    return {"ticket": ticket_document(ticket), "message": message}


def _call_next(actor, window, data):
    ticket = calling.call_next(actor=actor, window=window)
    if ticket is None:
        return {"ticket": None, "message": "当前没有等候的号"}
    return _done(ticket, f"请{ticket.number}号到{window.number}号窗口办理")


def _recall(actor, window, data):
    ticket = calling.ticket_recall(actor=actor, ticket=_ticket(window, data), window=window)
    return _done(ticket, f"第{ticket.recalls}次重呼：请{ticket.number}号到{window.number}号窗口办理")


def _skip(actor, window, data):
    ticket = calling.ticket_no_show(actor=actor, ticket=_ticket(window, data), window=window)
    return _done(ticket, f"{ticket.number}已过号")


def _start(actor, window, data):
    ticket = calling.ticket_start(actor=actor, ticket=_ticket(window, data), window=window)
    return _done(ticket, f"{ticket.number}开始办理")


def _hold(actor, window, data):
    ticket = calling.ticket_hold(actor=actor, ticket=_ticket(window, data), window=window, reason=data["reason"])
    return _done(ticket, f"{ticket.number}已暂挂")


def _resume(actor, window, data):
    ticket = _ticket(window, data, statuses=(TicketStatus.HELD,))
    ticket = calling.ticket_resume(actor=actor, ticket=ticket, window=window)
    return _done(ticket, f"{ticket.number}恢复办理")


def _transfer(actor, window, data):
    category = _category(window.center, data["category"])
    moved = calling.ticket_transfer(actor=actor, ticket=_ticket(window, data), window=window, category=category)
    return _done(moved, f"已转至{category.name}，新号码{moved.number}（保留原到达时间）")


def _finish(actor, window, data):
    ticket = calling.ticket_finish(actor=actor, ticket=_ticket(window, data), window=window)
    return _done(ticket, f"{ticket.number}已办结")


# slug → (view class name, input, what it does, summary)
WINDOW_ACTIONS = {
    "call-next": ("WindowCallNextApi", TicketRefIn, _call_next, "叫下一位（原子认领：两个窗口不会叫到同一个号）"),
    "recall": ("WindowRecallApi", TicketRefIn, _recall, "重呼"),
    "skip": ("WindowSkipApi", TicketRefIn, _skip, "过号（须先重呼规定次数）"),
    "start": ("WindowStartApi", TicketRefIn, _start, "开始办理（群众已到窗口）"),
    "hold": ("WindowHoldApi", TicketHoldIn, _hold, "暂挂（群众暂离，回来后在本窗口继续）"),
    "resume": ("WindowResumeApi", TicketRefIn, _resume, "恢复暂挂的号"),
    "transfer": ("WindowTransferApi", TicketTransferIn, _transfer, "转到其他类别排队（保留原到达时间）"),
    "finish": ("WindowFinishApi", TicketRefIn, _finish, "办结"),
}


def window_action_view(slug: str):
    name, input_class, act, summary = WINDOW_ACTIONS[slug]
    view = type(name, (WindowActionApi,), {"input_class": input_class, "act": staticmethod(act)})
    return extend_schema(
        summary=summary,
        request=input_class,
        parameters=[WINDOW_PARAM],
        responses={200: HallWindowActionOut, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )(view).as_view()
