"""Citizens (办事群众) who sign in to the public portal. They are not staff: no Django auth user, no role.

A citizen is identified by a mobile number (SMS code) or by the province's unified identity (OpenID Connect
subject). Mobile and ID number are encrypted at rest and looked up through blind indexes; neither is ever
put in a URL or a log line.
"""

from django.db import models
from django.db.models import Q

from onewindow.core import crypto, pii
from onewindow.core.fields import EncryptedTextField


class Citizen(models.Model):
    mobile = EncryptedTextField("手机号码", blank=True, default="")
    mobile_index = models.CharField(max_length=64, blank=True, default="", editable=False)
    name = models.CharField("姓名", max_length=40, blank=True)
    id_number = EncryptedTextField("身份证号码", blank=True, default="")
    id_index = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    address = models.CharField("联系地址", max_length=200, blank=True)
    oidc_subject = models.CharField("统一身份认证标识", max_length=255, blank=True, default="")
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)
    last_login_at = models.DateTimeField("最近登录", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办事群众"
        constraints = [
            models.UniqueConstraint(
                fields=["mobile_index"], condition=~Q(mobile_index=""), name="citizen_unique_mobile"
            ),
            models.UniqueConstraint(
                fields=["oidc_subject"], condition=~Q(oidc_subject=""), name="citizen_unique_oidc_subject"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """What a screen or an audit row may show: the masked name, else the masked mobile."""
        return pii.mask_name(self.name) if self.name else pii.mask_mobile(self.mobile) if self.mobile else f"#{self.pk}"

    def set_mobile(self, mobile: str) -> None:
        """Store a validated mobile number with its blind index."""
        self.mobile = mobile
        self.mobile_index = crypto.blind_index(mobile, purpose="mobile") if mobile else ""

    def set_id_number(self, id_number: str) -> None:
        """Store a validated ID number with its blind index."""
        self.id_number = id_number
        self.id_index = crypto.blind_index(id_number, purpose="id_number") if id_number else ""

    @property
    def mobile_masked(self) -> str:
        return pii.mask_mobile(self.mobile) if self.mobile else ""

    @property
    def id_number_masked(self) -> str:
        return pii.mask_id_number(self.id_number) if self.id_number else ""


class CodePurpose(models.TextChoices):
    SIGN_IN = "sign_in", "登录"
    CHANGE_MOBILE = "change_mobile", "更换手机号码"


class SignInCode(models.Model):
    """One SMS verification code: stored as a keyed hash (the code itself never touches the database),
    single use, void after too many wrong tries, expiring after ONEWINDOW_CITIZEN_CODE_TTL_SECONDS.

    The mobile is kept encrypted so the verification step needs nothing from the browser but the code:
    the sign-in form keeps only this row's id in the session, never the number.
    """

    purpose = models.CharField("用途", max_length=20, choices=CodePurpose.choices, default=CodePurpose.SIGN_IN)
    mobile = EncryptedTextField("手机号码")
    mobile_index = models.CharField(max_length=64, editable=False)
    # Changing the mobile: the citizen asking (the code goes to the new number).
    citizen = models.ForeignKey(Citizen, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, editable=False)
    ip = models.CharField("请求地址", max_length=45, blank=True, default="")
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("错误次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    voided = models.BooleanField("已作废", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "短信验证码"
        indexes = [
            models.Index(fields=["mobile_index", "created_at"], name="signincode_mobile_time"),
            models.Index(fields=["ip", "created_at"], name="signincode_ip_time"),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()}验证码 {pii.mask_mobile(self.mobile)}"
