"""POST /api/v1/ratings/ (DESIGN §4): an evaluator device, a clerk typing a card, or a citizen's phone holding a
signed link gives one rating. The view parses, finds the subject through a scoped selector (or the link's
signature), and calls rating_submit once; every rule and error is the service's."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.audit.services import PUBLIC
from onewindow.core.errors import ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.feedback import selectors
from onewindow.feedback.api.serializers import RatingCreatedOut, RatingIn, validated
from onewindow.feedback.links import step_id_from_token
from onewindow.feedback.models import Channel, Rating
from onewindow.feedback.services.ratings import TYPED_CHANNELS, rating_submit, subject_for_step, subject_for_ticket

ERROR = OpenApiResponse(description='{"error": {"code", "message", "fields"}}，message 为中文')


def _subject_and_actor(request, data) -> tuple:
    """(subject, actor, default channel) from the link token, else from the signed-in account."""
    if data["token"]:
        if data["case_step"] or data["ticket"]:
            raise ValidationFailed(fields={"token": "使用评价链接令牌时不要再填写 case_step 或 ticket"})
        step = selectors.link_step(step_id_from_token(data["token"]))
        return subject_for_step(step), PUBLIC, Channel.MOBILE
    user = request.user
    if not user or not user.is_authenticated:
        raise exceptions.NotAuthenticated()
    if bool(data["case_step"]) == bool(data["ticket"]):
        raise ValidationFailed(fields={"case_step": "请在 case_step（办理环节）和 ticket（排队号）中填写且只填写一项"})
    if data["case_step"]:
        subject = subject_for_step(selectors.staff_step(user, data["case_step"]))
    else:
        subject = subject_for_ticket(selectors.staff_ticket(user, data["ticket"]))
    return subject, user, Channel.EVALUATOR if effective_role(user) == Role.DEVICE else Channel.CARD


def rating_document(rating: Rating) -> dict:
    rectification = getattr(rating, "rectification", None) if rating.is_bad else None
    return {
        "id": rating.pk,
        "level": rating.level,
        "level_label": rating.get_level_display(),
        "is_bad": rating.is_bad,
        "channel": rating.channel,
        "case_step": rating.case_step_id,
        "ticket": rating.ticket_id,
        "rectification": rectification.pk if rectification else None,
        "created_at": rating.created_at,
    }


@extend_schema(
    summary="提交好差评（评价器、评议卡录入、群众手机端）",
    description=(
        "一次服务（办理环节或已办结的排队号）只能评价一次（409 rating.already_rated）；服务后规定工作日内可评价"
        "（409 rating.window_closed）；差评须至少选择一项原因；实名评价须填姓名和手机号。\n\n"
        "认证：评价器设备用 `Authorization: Token …`（只能评价本镇街已办结的排队号，渠道 evaluator）；工作人员会话"
        "录入纸质评议卡（渠道 card，录入人记为本人）；群众手机端不登录，提交评价链接中的 token"
        "（渠道 sms / qr / mobile）。"
        "差评自动生成整改，返回其 id。"
    ),
    request=RatingIn,
    responses={201: RatingCreatedOut, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
)
class RatingCreateApi(APIView):
    permission_classes = [AllowAny]  # a link token authorises a citizen's phone; anything else must sign in

    def post(self, request):
        data = validated(RatingIn, request.data)
        subject, actor, default_channel = _subject_and_actor(request, data)
        channel = data["channel"] or default_channel
        rating = rating_submit(
            actor=actor,
            subject=subject,
            level=data["level"],
            channel=channel,
            indicators=data["indicators"],
            reasons=data["reasons"],
            comment=data["comment"],
            anonymous=data["anonymous"],
            rater_name=data["rater_name"],
            rater_mobile=data["rater_mobile"],
            entered_by=actor if channel in TYPED_CHANNELS and actor is not PUBLIC else None,
        )
        return Response(rating_document(rating), status=201)
