"""Input of POST /api/v1/ratings/ (shape and type only: every rule lives in rating_submit) and the OpenAPI
description of its output, which the view builds as a plain dict."""

from __future__ import annotations

from rest_framework import serializers

from onewindow.core.errors import ValidationFailed
from onewindow.feedback.models import INDICATORS, Channel, Level

_CHANNELS = "；".join(f"{c.value} {c.label}" for c in Channel)
_INDICATORS = "；".join(
    f"{mode}: " + "、".join(f"{k} {label}" for k, label in rows) for mode, rows in INDICATORS.items()
)


def validated(serializer_class, data) -> dict:
    """The input's validated data, or ValidationFailed naming every bad field at once (Chinese messages)."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationFailed(
            fields={key: "；".join(str(m) for m in messages) for key, messages in serializer.errors.items()}
        )
    return serializer.validated_data


class RatingIn(serializers.Serializer):
    token = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="评价链接中的签名令牌（群众手机端，无需登录）；填写时不填 case_step / ticket",
    )
    case_step = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="办理环节 id")
    ticket = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="排队号 id（已办结）")
    level = serializers.IntegerField(help_text="评价等级：" + "；".join(f"{v} {label}" for v, label in Level.choices))
    channel = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text=f"评价渠道（{_CHANNELS}）。缺省：设备为 evaluator，工作人员为 card，链接令牌为 mobile",
    )
    indicators = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        default=dict,
        help_text=f"分项评分，每项1–5分，可缺省（整体满意度缺省为评价等级）。{_INDICATORS}",
    )
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        max_length=20,
        help_text="评价原因（所选等级的原因选项原文）；差评至少一项",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="评价内容，500字以内")
    anonymous = serializers.BooleanField(required=False, default=True, help_text="匿名评价；false 时须填姓名和手机号")
    rater_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    rater_mobile = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)


class RatingCreatedOut(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.IntegerField()
    level_label = serializers.CharField(help_text="非常满意 … 非常不满意")
    is_bad = serializers.BooleanField(help_text="差评（不满意、非常不满意）")
    channel = serializers.CharField()
    case_step = serializers.IntegerField(allow_null=True)
    ticket = serializers.IntegerField(allow_null=True)
    rectification = serializers.IntegerField(allow_null=True, help_text="差评自动生成的整改 id")
    created_at = serializers.DateTimeField()
