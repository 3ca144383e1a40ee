"""The monthly 堵点难点卡点问题专项汇总 of a town: counts against a hand count, the Excel workbook, the PDF (Chinese
text extracted, CJK font embedded), the download's scoping and the management command."""

import io
import re
import shutil
import subprocess
from datetime import date, time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from onewindow.feedback.models import ProblemStatus
from onewindow.feedback.reports import build_summary_pdf, build_summary_xlsx, load_problem_summary
from onewindow.feedback.services.ledger import problem_record, problem_set_status
from onewindow.testing.cases import offered_item
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
TITLE = "嘉祥街道为民服务中心堵点难点卡点问题专项汇总（2026年11月）"
NOVEMBER = date(2026, 11, 1)


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", result.stdout.decode())


@pytest.fixture
def november(world, clock):
    """Town A's ledger: four entries in November 2026, and around them entries that must not count."""
    director = world.user("a", "center_director")
    social, labour = world.a.departments[0], world.a.departments[1]
    dibao = offered_item(world)
    other = make_item("370829-YB-002", spec=sample_spec(name="城乡居民医保参保登记"), adopt_in=[world.a.region])

    def at(day, hour_minute, **kwargs):
        clock.day, clock.at = day, time(*hour_minute)
        return problem_record(actor=director, town=kwargs.pop("town", world.a.region), **kwargs)

    at(date(2026, 10, 31), (23, 59), kind="blockage", source="staff", description="十月最后一刻")
    done = at(
        date(2026, 11, 2),
        (0, 0),
        kind="blockage",
        source="staff",
        description="低保材料重复提交",
        item=dibao,
        department=social,
    )
    at(date(2026, 11, 10), (9, 0), kind="blockage", source="complaint", description="窗口午间无人，我电话13805371234")
    escalated = at(
        date(2026, 11, 18),
        (15, 0),
        kind="difficulty",
        source="follow_up",
        description="审批需跑县里",
        item=dibao,
        department=labour,
    )
    at(
        date(2026, 11, 30),
        (23, 59),
        kind="bottleneck",
        source="staff",
        description="医保系统卡顿",
        item=other,
        department=social,
    )
    at(date(2026, 12, 1), (0, 0), kind="bottleneck", source="staff", description="十二月第一刻")
    at(date(2026, 11, 12), (10, 0), kind="blockage", source="staff", description="纸坊镇的问题", town=world.b.region)
    clock.day, clock.at = date(2026, 12, 2), time(9, 30)
    problem_set_status(actor=director, entry=done, status=ProblemStatus.DONE, measures="材料一次收取、共享复用")
    problem_set_status(actor=director, entry=escalated, status=ProblemStatus.ESCALATED)
    return {"dibao": dibao, "other": other}


def test_counts_match_a_hand_count(world, november):
    summary = load_problem_summary(world.a.region, NOVEMBER)
    assert summary.title == TITLE and summary.total == 4
    assert [e.description[:6] for e in summary.entries] == [
        "低保材料重复",
        "窗口午间无人",
        "审批需跑县里",
        "医保系统卡顿",
    ]
    assert summary.by_kind == [("堵点", 2), ("难点", 1), ("卡点", 1)]
    assert summary.by_source == [("差评", 0), ("满意度回访", 1), ("吐槽找茬", 1), ("工作人员发现", 2)]
    assert dict(summary.by_status) == {"整改中": 2, "即知即改（已解决）": 1, "已上报县局": 1}
    assert summary.by_item == [(november["dibao"].name, 2), ("城乡居民医保参保登记", 1), ("未涉及具体事项", 1)]
    assert summary.by_department == [("社会事务办", 2), ("人社所", 1), ("未涉及具体部门", 1)]
    assert "共登记问题4个" in summary.overview


def test_workbook_holds_the_counts_and_the_list_with_measures(world, november):
    workbook = load_workbook(io.BytesIO(build_summary_xlsx(load_problem_summary(world.a.region, NOVEMBER))))
    counts, entries = workbook["专项汇总"], workbook["问题清单"]
    assert counts["A1"].value == TITLE
    pairs = {(row[0], row[1]) for row in counts.iter_rows(min_row=4, values_only=True) if row[0]}
    assert {("堵点", 2), ("卡点", 1), ("工作人员发现", 2), ("社会事务办", 2)} <= pairs
    rows = [row for row in entries.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(rows) == 4
    assert rows[0][6] == "低保材料重复提交" and rows[0][8] == "材料一次收取、共享复用"
    assert rows[0][7] == "即知即改（已解决）"


def test_pdf_embeds_the_font_and_no_other(world, november):
    pdf = build_summary_pdf(load_problem_summary(world.a.region, NOVEMBER))
    assert pdf.startswith(b"%PDF-") and b"/FontFile2" in pdf
    assert re.search(rb"/BaseFont /[A-Z]{6}\+WenQuanYiMicroHei", pdf)
    assert b"/BaseFont /Helvetica" not in pdf and b"STSong" not in pdf


@needs_pdftotext
def test_pdf_reads_in_chinese(world, november):
    text = pdf_text(build_summary_pdf(load_problem_summary(world.a.region, NOVEMBER)))
    assert TITLE in text
    assert "材料一次收取、共享复用" in text and "医保系统卡顿" in text
    assert "纸坊镇的问题" not in text and "十二月第一刻" not in text
    assert "13805371234" not in text and "138****1234" in text  # a citizen's number copied into the ledger
    assert "第1页/共" in text


@needs_pdftotext
def test_an_empty_month_still_makes_a_report(world, clock):
    summary = load_problem_summary(world.b.region, NOVEMBER)
    assert summary.total == 0 and summary.by_kind == [("堵点", 0), ("难点", 0), ("卡点", 0)]
    assert "本月无登记问题" in pdf_text(build_summary_pdf(summary))


def test_downloads_are_scoped_to_the_readers_town(client, world, november):
    url = reverse("feedback:ledger-summary-pdf")
    client.force_login(world.user("a", "center_director"))
    own = client.get(url, {"month": "2026-11"})
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in own["Content-Disposition"]
    xlsx = client.get(reverse("feedback:ledger-summary-xlsx"), {"month": "2026-11"})
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content))["专项汇总"]["A1"].value == TITLE
    assert client.get(url, {"month": "2026-13"}).status_code == 400
    client.force_login(world.user("b", "center_director"))
    assert client.get(url, {"month": "2026-11", "town": world.a.region.code}).status_code == 404
    client.force_login(world.county_admin)
    assert client.get(url, {"month": "2026-11"}).status_code == 400  # which town?
    assert client.get(url, {"month": "2026-11", "town": world.a.region.code}).status_code == 200
    client.force_login(world.user("a", "front_clerk"))
    assert client.get(url, {"month": "2026-11"}).status_code == 403


def test_command_writes_both_files(world, november, tmp_path):
    call_command("monthly_problem_summary", town=world.a.region.code, month="2026-11", out=str(tmp_path))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"{TITLE}.pdf", f"{TITLE}.xlsx"]
    assert (tmp_path / f"{TITLE}.pdf").read_bytes().startswith(b"%PDF-")
    with pytest.raises(CommandError, match="月份格式"):
        call_command("monthly_problem_summary", town=world.a.region.code, month="11/2026", out=str(tmp_path))
    with pytest.raises(CommandError, match="未找到镇街"):
        call_command("monthly_problem_summary", town="370829999000", month="2026-11", out=str(tmp_path))
