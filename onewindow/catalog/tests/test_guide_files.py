"""Uploading sample forms, blank forms and result samples onto a draft guide: content checked, not trusted."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.catalog.models import GuideStatus
from onewindow.catalog.services import guide_publish, guide_save_draft
from onewindow.catalog.services.files import guide_attach_file
from onewindow.catalog.spec import spec_from_guide
from onewindow.catalog.tests.test_staff_item_pages import guide_post
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.uploads import check_upload
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def drafted(world):
    """A published item with a draft (version 2) open for attachments."""
    item = make_item(code="C-1")
    guide_save_draft(actor=world.county_admin, item=item, spec=sample_spec(hours="全天"))
    return item


@pytest.mark.parametrize(
    "name, content",
    [("样表.pdf", PDF), ("空白表.docx", docx_bytes()), ("空白表.xlsx", xlsx_bytes()), ("样本.png", PNG)],
)
def test_real_files_are_accepted(name, content):
    assert check_upload(upload(name, content), max_bytes=10_000) == name[name.rindex(".") :]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("申请表.pdf", EXE, "可执行程序"),
        ("申请表.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "可执行程序"),
        ("申请表.pdf", b"just some text pretending", "文件内容与扩展名“.pdf”不符"),
        ("申请表.docx", xlsx_bytes(), "不是有效的Word（docx）文件"),
        ("申请表.xlsx", b"PK\x03\x04 not really a zip", "不是有效的Excel（xlsx）文件"),
        ("申请表.png", PDF, "不是有效的PNG图片"),
        ("申请表.exe", EXE, "不支持“.exe”格式"),
        ("申请表", PDF, "不支持“无扩展名”格式"),
        ("申请表.pdf", b"", "文件是空的"),
    ],
)
def test_bad_files_are_refused_in_chinese(name, content, message):
    with pytest.raises(ValidationFailed) as caught:
        check_upload(upload(name, content), max_bytes=10_000)
    assert message in caught.value.fields["file"]


def test_attach_a_sample_form_to_the_draft_and_carry_it_on(world, drafted, media):
    # when
    material = guide_attach_file(
        actor=world.county_admin, item=drafted, target=1, kind="sample", upload=upload("../../etc/我的样表.pdf", PDF)
    )
    # then: stored under a generated name, never the user's
    name = material.sample_file.name
    assert name.startswith("catalog/forms/") and name.endswith(".pdf") and "样表" not in name and ".." not in name
    assert (media / name).read_bytes() == PDF
    event = AuditEvent.objects.get(action=AuditAction.GUIDE_FILE_ATTACHED)
    assert event.after["file"] == name and event.after["original_name"] == "我的样表.pdf"
    # the published version is untouched; publishing the draft brings the file to the public
    assert not drafted.current_guide.materials.get(position=1).sample_file
    guide = guide_publish(actor=world.county_admin, item=drafted)
    assert guide.materials.get(position=1).sample_file.name == name
    # the next draft, saved from the page, keeps the file with its material
    admin = Client()
    admin.force_login(world.county_admin)
    spec = spec_from_guide(guide)
    spec.materials.reverse()  # even when the rows are reordered
    data = guide_post(spec, editing=True)
    for i in range(len(spec.materials)):
        data[f"materials-{i}-origin"] = str(len(spec.materials) - 1 - i)
    assert admin.post(reverse("catalog:staff-item-edit", args=[drafted.code]), data).status_code == 302
    draft = drafted.versions.get(status=GuideStatus.DRAFT)
    assert draft.materials.get(name="最低生活保障申请书").sample_file.name == name
    assert not draft.materials.get(name="户口簿").sample_file


def test_result_sample_and_blank_form(world, drafted):
    guide = guide_attach_file(
        actor=world.county_admin, item=drafted, target=None, kind="result", upload=upload("a.png", PNG)
    )
    assert guide.result_sample.name.startswith("catalog/results/")
    material = guide_attach_file(
        actor=world.county_admin, item=drafted, target=2, kind="blank", upload=upload("b.xlsx", xlsx_bytes())
    )
    assert material.blank_file.name.endswith(".xlsx") and material.name == "户口簿"


def test_oversize_upload_is_refused_and_nothing_stored(world, drafted, settings, media):
    settings.ONEWINDOW_GUIDE_FILE_MAX_BYTES = 1024
    big = PDF + b"0" * 2048
    with pytest.raises(ValidationFailed) as caught:
        guide_attach_file(actor=world.county_admin, item=drafted, target=1, kind="sample", upload=upload("a.pdf", big))
    assert "超过上限" in caught.value.fields["file"]
    assert stored_files(media) == []
    assert not AuditEvent.objects.filter(action=AuditAction.GUIDE_FILE_ATTACHED).exists()


def test_only_a_draft_takes_files_and_only_its_managers(world, media):
    item = make_item(code="C-1")
    with pytest.raises(Conflict):
        guide_attach_file(actor=world.county_admin, item=item, target=1, kind="sample", upload=upload("a.pdf", PDF))
    guide_save_draft(actor=world.county_admin, item=item, spec=sample_spec(hours="全天"))
    with pytest.raises(Forbidden):
        guide_attach_file(
            actor=world.user("a", "center_director"), item=item, target=1, kind="sample", upload=upload("a.pdf", PDF)
        )
    with pytest.raises(ValidationFailed):
        guide_attach_file(actor=world.county_admin, item=item, target=99, kind="sample", upload=upload("a.pdf", PDF))
    assert stored_files(media) == []


def test_page_refuses_an_executable_renamed_pdf_next_to_its_field(world, drafted, media):
    admin = Client()
    admin.force_login(world.county_admin)
    url = reverse("catalog:staff-item-file", args=[drafted.code])
    response = admin.post(url, {"kind": "sample", "target": "1", "file": upload("申请表.pdf", EXE)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="err-sample-1"' in page and "该文件实际是可执行程序" in page
    assert stored_files(media) == []
    assert not drafted.versions.get(status=GuideStatus.DRAFT).materials.get(position=1).sample_file

    response = admin.post(url, {"kind": "sample", "target": "1", "file": upload("申请表.pdf", PDF)})
    assert response.status_code == 302
    stored = drafted.versions.get(status=GuideStatus.DRAFT).materials.get(position=1).sample_file.name
    assert stored
    # staff download it back to check it
    download = admin.get(reverse("catalog:staff-version-file", args=[drafted.code, 2, "sample", 1]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # a director cannot attach files to a county-wide item
    other = Client()
    other.force_login(world.user("b", "center_director"))
    assert other.post(url, {"kind": "sample", "target": "1", "file": upload("x.pdf", PDF)}).status_code == 403
