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
