"""Writes a town's four generated documents to a folder (for printing, or publishing elsewhere)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onewindow.catalog import qr, selectors
from onewindow.catalog.documents import (
    build_catalog_pdf,
    build_catalog_xlsx,
    build_handbook_pdf,
    build_qrwall_pdf,
    load_town_catalog,
)
from onewindow.core.errors import DomainError, NotFound


class Command(BaseCommand):
    help = "生成镇街一窗受理事项目录（PDF、Excel）、标准化受理材料指导手册（PDF）和二维码便民服务墙（PDF）"

    def add_arguments(self, parser):
        parser.add_argument("--town", required=True, metavar="CODE", help="镇街12位区划代码")
        parser.add_argument("--out", required=True, metavar="DIR", help="输出目录（不存在时自动创建）")
        parser.add_argument(
            "--base-url",
            metavar="URL",
            help="二维码指向的对外访问地址，如 https://zwfw.example.gov.cn（默认取 ONEWINDOW_PUBLIC_BASE_URL）",
        )
        parser.add_argument("--a3", action="store_true", help="另外生成A3幅面的二维码便民服务墙")

    def handle(self, *args, town, out, base_url=None, a3=False, **options):
        base = (base_url or settings.ONEWINDOW_PUBLIC_BASE_URL or "").rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise CommandError(
                "请用 --base-url 或 ONEWINDOW_PUBLIC_BASE_URL 指定以 http:// 或 https:// 开头的对外访问地址"
            )
        try:
            region = selectors.public_town(town)
        except NotFound as error:
            raise CommandError(f"未找到镇街“{town}”（应为启用中的镇街12位区划代码）") from error
        try:
            catalog = load_town_catalog(region)

            def url_for(item_code):
                return base + qr.guide_path(region.code, item_code)

            files = {
                "catalog.pdf": lambda: build_catalog_pdf(catalog),
                "catalog.xlsx": lambda: build_catalog_xlsx(catalog),
                "handbook.pdf": lambda: build_handbook_pdf(catalog, url_for),
                "qr-wall.pdf": lambda: build_qrwall_pdf(catalog, url_for),
            }
            if a3:
                files["qr-wall-a3.pdf"] = lambda: build_qrwall_pdf(catalog, url_for, paper="a3")
            folder = Path(out)
            folder.mkdir(parents=True, exist_ok=True)
            for name, build in files.items():
                path = folder / name
                path.write_bytes(build())
                self.stdout.write(f"已生成 {path}")
        except DomainError as error:
            raise CommandError(error.message) from error
        except OSError as error:
            raise CommandError(f"无法写入输出目录 {out}：{error}") from error
        self.stdout.write(
            self.style.SUCCESS(f"{catalog.center_name}：共 {len(catalog.entries)} 个已公布事项，文档已写入 {folder}")
        )
