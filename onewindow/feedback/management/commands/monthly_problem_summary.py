"""manage.py monthly_problem_summary --town 370829001000 --month 2026-11 --out DIR: the town's 堵点难点卡点问题
专项汇总 for the month as Excel and PDF (the same files the ledger page downloads)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onewindow.core.errors import DomainError
from onewindow.core.months import parse_month
from onewindow.feedback.reports import build_summary_pdf, build_summary_xlsx, load_problem_summary, summary_filename
from onewindow.org.models import Region


class Command(BaseCommand):
    help = "生成镇街为民服务中心堵点难点卡点问题月度专项汇总（Excel 和 PDF）"

    def add_arguments(self, parser):
        parser.add_argument("--town", required=True, help="镇街区划代码（12位）")
        parser.add_argument("--month", required=True, help="统计月份，如 2026-11")
        parser.add_argument("--out", required=True, help="输出目录")

    def handle(self, *args, town, month, out, **options):
        region = Region.objects.towns().filter(code=town.strip()).first()
        if region is None:
            raise CommandError(f"未找到镇街：{town}")
        try:
            summary = load_problem_summary(region, parse_month(month))
            files = {"xlsx": build_summary_xlsx(summary), "pdf": build_summary_pdf(summary)}
        except DomainError as error:
            raise CommandError(error.full_message) from error
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for extension, content in files.items():
            path = folder / summary_filename(summary, extension)
            path.write_bytes(content)
            self.stdout.write(f"已生成 {path}")
        self.stdout.write(f"{summary.title}：共 {summary.total} 个问题")
