"""Input of the hall API (shape and type only: every rule lives in the services) and the OpenAPI description
of its output, which the views build as plain dicts (documents below)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from onewindow.core.errors import ValidationFailed
from onewindow.hall.models import PriorityKind, Ticket, TicketSource, TicketStatus
from onewindow.hall.selectors import wait_minutes

ISSUE_SOURCES = [
    (TicketSource.KIOSK.value, TicketSource.KIOSK.label),
    (TicketSource.WINDOW.value, TicketSource.WINDOW.label),
]


def validated(serializer_class, data) -> dict:
    """The input's validated data, or ValidationFailed naming every bad field at once (Chinese messages)."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationFailed(
            fields={key: "；".join(str(m) for m in messages) for key, messages in serializer.errors.items()}
        )
    return serializer.validated_data


# --- input ----------------------------------------------------------------------------------------


class TicketIssueIn(serializers.Serializer):
    category = serializers.SlugField(
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
        help_text="取号类别代码，如 medical_social（医保社保）",
    )
    appointment_code = serializers.RegexField(
        r"^\d{4,8}$", required=False, allow_blank=True, default="", help_text="预约码：凭预约签到取号（此时不填类别）"
    )
    priority = serializers.ChoiceField(
        choices=PriorityKind.choices, required=False, allow_blank=True, default="", help_text="绿色通道对象，空为普通号"
    )
    id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, default="", help_text="身份证号（读卡器读入，可不填）"
    )
    source = serializers.ChoiceField(
        choices=ISSUE_SOURCES,
        required=False,
        default=TicketSource.KIOSK.value,
        help_text="kiosk 取号机 / window 代取",
    )


class TicketRefIn(serializers.Serializer):
    ticket = serializers.IntegerField(
        min_value=1, required=False, help_text="排队号 id；不填则为该窗口当前叫到或正在办理的号"
    )


class TicketHoldIn(TicketRefIn):
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="暂挂原因")


class TicketTransferIn(TicketRefIn):
    category = serializers.SlugField(max_length=30, help_text="转入的取号类别代码")


# --- output (schema) ------------------------------------------------------------------------------


class HallCategoryOut(serializers.Serializer):
    code = serializers.CharField()
    prefix = serializers.CharField()
    name = serializers.CharField()


class HallWindowOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()


class HallTicketOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="号码，如 A012（每天从1起）")
    day = serializers.DateField()
    category = HallCategoryOut()
    status = serializers.CharField(help_text="waiting/called/serving/held/done/no_show/transferred/cancelled")
    status_label = serializers.CharField()
    priority = serializers.CharField(help_text="绿色通道对象，空为普通号")
    source = serializers.CharField()
    window = HallWindowOut(allow_null=True)
    arrived_at = serializers.DateTimeField(help_text="到达时间（转移后保持不变）")
    called_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    recalls = serializers.IntegerField()
    estimated_wait_seconds = serializers.IntegerField(allow_null=True, help_text="取号时告知的预计等候（秒）")


class HallTicketIssuedOut(HallTicketOut):
    people_ahead = serializers.IntegerField(help_text="前面等候人数")
    estimated_wait_minutes = serializers.IntegerField()
    follow_token = serializers.CharField(help_text="小票二维码中的跟踪令牌")
    follow_url = serializers.CharField(help_text="扫码查看排队进度的网址")


class HallWindowActionOut(serializers.Serializer):
    ticket = HallTicketOut(allow_null=True, help_text="叫到/操作的号；叫号时无人等候为 null；转移时为新号")
    message = serializers.CharField(help_text="给窗口人员看的一句话，如“请A012号到3号窗口办理”")


class HallBoardTicketOut(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField(help_text="called 已叫号 / serving 办理中")
    category = serializers.CharField()
    called_at = serializers.DateTimeField()
    recalls = serializers.IntegerField()


class HallBoardWindowOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    is_open = serializers.BooleanField()
    ticket = HallBoardTicketOut(allow_null=True)


class HallBoardCategoryOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    prefix = serializers.CharField()
    name = serializers.CharField()
    waiting = serializers.IntegerField()
    serving_windows = serializers.IntegerField(help_text="开放中、叫这一类号的窗口数")
    estimated_wait_seconds = serializers.IntegerField(help_text="现在取号的预计等候（秒）")
    estimated_wait_minutes = serializers.IntegerField()


class HallBoardRecentOut(serializers.Serializer):
    number = serializers.CharField()
    window_number = serializers.IntegerField()
    window_name = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField()
    called_at = serializers.DateTimeField()


class HallBoardCenterOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HallBoardOut(serializers.Serializer):
    changed = serializers.BooleanField(help_text="带 since 且版本未变时为 false，此时只返回 version")
    version = serializers.IntegerField(help_text="大屏版本号：每次取号、叫号、办结后变化（比较是否相等，不比大小）")
    center = HallBoardCenterOut(required=False)
    day = serializers.DateField(required=False)
    generated_at = serializers.DateTimeField(required=False)
    windows = HallBoardWindowOut(many=True, required=False)
    categories = HallBoardCategoryOut(many=True, required=False, help_text="开放取号的类别")
    recent = HallBoardRecentOut(many=True, required=False, help_text="最近叫号（最多10个）")


# --- documents ------------------------------------------------------------------------------------


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def ticket_document(ticket: Ticket) -> dict:
    window = ticket.window if ticket.window_id else None
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "day": ticket.day.isoformat(),
        "category": {"code": ticket.category.code, "prefix": ticket.category.prefix, "name": ticket.category.name},
        "status": ticket.status,
        "status_label": TicketStatus(ticket.status).label,
        "priority": ticket.priority,
        "source": ticket.source,
        "window": window and {"id": window.pk, "number": window.number, "name": window.name},
        "arrived_at": _iso(ticket.arrived_at),
        "called_at": _iso(ticket.called_at),
        "finished_at": _iso(ticket.finished_at),
        "recalls": ticket.recalls,
        "estimated_wait_seconds": ticket.estimated_wait_seconds,
    }


def issued_document(ticket: Ticket, follow_url: str) -> dict:
    return {
        **ticket_document(ticket),
        "people_ahead": ticket.people_ahead,
        "estimated_wait_minutes": wait_minutes(ticket.estimated_wait_seconds),
        "follow_token": ticket.follow_token,
        "follow_url": follow_url,
    }
