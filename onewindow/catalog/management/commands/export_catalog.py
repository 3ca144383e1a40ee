from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onewindow.audit.services import SYSTEM
from onewindow.catalog.services.importing import catalog_export
from onewindow.org.models import Region


class Command(BaseCommand):
    help = "把事项目录导出为 Excel（.xlsx）：现行办事指南和镇街目录，格式与 import_catalog 读取的模板相同"

    def add_arguments(self, parser):
        parser.add_argument("path", help="要写入的 .xlsx 文件")
        parser.add_argument("--town", metavar="CODE", help="只导出该镇街（12位区划代码）纳入的事项、特色事项和目录")

    def handle(self, *args, path, town=None, **options):
        region = None
        if town:
            region = Region.objects.towns().filter(code=town).first()
            if region is None:
                raise CommandError(f"没有区划代码为“{town}”的镇街")
        data = catalog_export(actor=SYSTEM, town=region)
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from exc
        scope = region.name if region else "全县"
        self.stdout.write(self.style.SUCCESS(f"已把{scope}事项目录导出到 {path}（{len(data) / 1024:.0f} KB）"))
