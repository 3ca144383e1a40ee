from django.core.management.base import BaseCommand, CommandError

from onewindow.audit.services import SYSTEM
from onewindow.catalog.services.importing import catalog_import


class Command(BaseCommand):
    help = "从 Excel（.xlsx）导入事项目录；有任何错误时逐格列出并不导入任何内容（退出码非0）"

    def add_arguments(self, parser):
        parser.add_argument("path", help="按模板填写的 .xlsx 文件（可先用 export_catalog 导出）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")

    def handle(self, *args, path, dry_run=False, **options):
        try:
            with open(path, "rb") as file:
                report = catalog_import(actor=SYSTEM, file=file, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"无法打开文件 {path}：{exc.strerror}") from exc
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            if report.hidden_errors:
                self.stderr.write(f"……另有{report.hidden_errors}处错误未列出")
            raise CommandError(report.summary)
        self.stdout.write(self.style.SUCCESS(report.summary))
