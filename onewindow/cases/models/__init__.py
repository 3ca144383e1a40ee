from onewindow.cases.models.case import (
    ApplicantKind,
    Attachment,
    Case,
    CaseMaterial,
    CaseSequence,
    Channel,
    Decision,
    DeliveryMethod,
    MaterialState,
)
from onewindow.cases.models.tasks import ReviewTask, TaskStatus
from onewindow.cases.models.timeline import CaseStep, DeadlineReminder, Notice, NoticeKind

__all__ = [
    "ApplicantKind",
    "Attachment",
    "Case",
    "CaseMaterial",
    "CaseSequence",
    "CaseStep",
    "Channel",
    "DeadlineReminder",
    "Decision",
    "DeliveryMethod",
    "MaterialState",
    "Notice",
    "NoticeKind",
    "ReviewTask",
    "TaskStatus",
]
