from django.urls import path

from onewindow.cases.views import attachments, detail, intake, notices, prereview, progress, workbench

app_name = "cases"

urlpatterns = [
    path("progress/", progress.progress, name="public-progress"),
    path("cases/", workbench.workbench, name="workbench"),
    path("cases/new/", intake.intake, name="intake"),
    path("cases/prereview/", prereview.prereview, name="prereview"),
    path("cases/<str:number>/", detail.detail, name="detail"),
    path("cases/<str:number>/act/<str:action>/", detail.act, name="act"),
    path("cases/<str:number>/attachments/", attachments.upload, name="attachment-upload"),
    path("cases/<str:number>/attachments/<int:attachment_id>/", attachments.download, name="attachment"),
    path("cases/<str:number>/notices/<int:notice_id>.pdf", notices.notice_pdf, name="notice-pdf"),
]
