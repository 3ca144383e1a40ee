"""Attachments: checked by content, size-limited, stored outside the web root, read only by those who see the case."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.cases.models import Attachment
from onewindow.cases.services.attachments import attachment_add
from onewindow.core.errors import ValidationFailed
from onewindow.testing.cases import offered_item, receive

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.ONEWINDOW_PRIVATE_DIR = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.ONEWINDOW_PRIVATE_DIR


def test_a_real_pdf_is_stored_privately_and_audited(world, clock, private_dir):
    case = receive(world, offered_item(world))
    attachment = attachment_add(
        actor=world.user("a", "front_clerk"),
        case=case,
        material_position=2,
        upload=SimpleUploadedFile("户口簿.pdf", PDF, content_type="text/html"),  # what a browser claims
    )
    assert attachment.content_type == "application/pdf"  # served by what the content was checked to be
    stored = private_dir / attachment.storage_name
    assert stored.read_bytes() == PDF and "户口簿" not in attachment.storage_name
    assert attachment.material.name == "户口簿" and len(attachment.sha256) == 64
    assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_UPLOADED).count() == 1


def test_an_executable_renamed_pdf_and_an_oversize_file_are_refused(world, clock, settings):
    case = receive(world, offered_item(world))
    clerk = world.user("a", "front_clerk")
    with pytest.raises(ValidationFailed) as caught:
        attachment_add(actor=clerk, case=case, upload=SimpleUploadedFile("证明.pdf", b"MZ\x90\x00" + b"\x00" * 64))
    assert "可执行程序" in caught.value.fields["file"]
    settings.ONEWINDOW_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed) as caught:
        attachment_add(actor=clerk, case=case, upload=SimpleUploadedFile("大.pdf", PDF + b"0" * 2048))
    assert "超过上限" in caught.value.fields["file"]
    assert not Attachment.objects.exists()


def test_download_only_for_those_who_see_the_case(client, world, clock):
    case = receive(world, offered_item(world))
    attachment = attachment_add(
        actor=world.user("a", "front_clerk"), case=case, upload=SimpleUploadedFile("申请书.pdf", PDF)
    )
    url = reverse("cases:attachment", args=[case.number, attachment.pk])
    client.force_login(world.user("b", "center_director"))
    assert client.get(url).status_code == 404
    client.force_login(world.user("a", "center_director"))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_upload_through_the_case_page(client, world, clock):
    case = receive(world, offered_item(world))
    client.force_login(world.user("a", "front_clerk"))
    response = client.post(
        reverse("cases:attachment-upload", args=[case.number]),
        {"material": "1", "file": SimpleUploadedFile("申请书.pdf", PDF)},
        follow=True,
    )
    assert "附件已上传" in response.content.decode() and case.attachments.count() == 1
