"""网上申报 drafts: what a citizen has typed and uploaded for one item in one town, until they submit it.

A draft is a portal-side row, not a Case in status `draft`. Why:
- a case number and query code are drawn only for applications that are really submitted, so the
  per-town daily numbering has no holes from abandoned drafts and the number's date is the submission date;
- an unsubmitted draft is the citizen's private work: it never appears in a town's case lists, work queues,
  statistics, publicity, platform sync or audit-chained attachment history, none of which need to learn to
  skip drafts;
- `Attachment` belongs to a case (audited in the town's chain, PROTECTed); draft files may be replaced
  freely and are copied into the case through `attachment_add` (content re-checked) when it is submitted.

On submit the draft keeps its row (status submitted, `case` set): a retried or double-clicked submit finds it
and answers with the same case. Its files are then removed (their copies are the case's attachments).
"""

from django.db import models
from django.db.models import Q

from onewindow.cases.models import ApplicantKind
from onewindow.core.fields import EncryptedTextField
from onewindow.core.pii import mask_id_number, mask_mobile


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"


class Application(models.Model):
    citizen = models.ForeignKey(
        "citizens.Citizen", verbose_name="办事群众", on_delete=models.CASCADE, related_name="applications"
    )
    town = models.ForeignKey("org.Region", verbose_name="镇街", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "org.Region", verbose_name="村（社区）", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="+")
    # The guide the form was last shown with; materials are matched by position and name on submit.
    guide = models.ForeignKey("catalog.GuideVersion", on_delete=models.PROTECT, related_name="+")
    # One per form: a retried POST of the same form names the same draft (and so the same case).
    token = models.CharField(max_length=32, unique=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    applicant_kind = models.CharField(
        "申请人类型", max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField("申请人", max_length=100, blank=True)
    applicant_id_number = EncryptedTextField("证件号码", blank=True, default="")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = EncryptedTextField("联系电话", blank=True, default="")
    address = models.CharField("联系地址", max_length=200, blank=True)
    request_summary = models.CharField("申请事由", max_length=300, blank=True)
    declared = models.BooleanField("已承诺所填信息及材料真实有效", default=False)
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("保存时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "网上申报"
        ordering = ["-updated_at"]
        constraints = [
            # One open draft per item and town: 我的办件 resumes it instead of starting a second one.
            models.UniqueConstraint(
                fields=["citizen", "town", "item"], condition=Q(status="draft"), name="application_one_draft"
            ),
        ]

    def __str__(self):
        return f"网上申报#{self.pk}"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.applicant_id_number) if self.applicant_id_number else ""

    @property
    def phone_masked(self) -> str:
        return mask_mobile(self.contact_phone) if self.contact_phone else ""


class ApplicationFile(models.Model):
    """A file uploaded into a draft against one line of the guide's checklist (private storage)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material_position = models.PositiveSmallIntegerField("材料序号")
    material_name = models.CharField("材料名称", max_length=200)
    storage_name = models.CharField(max_length=200, editable=False)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "网上申报材料"
        ordering = ["application", "material_position", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
