from django.core.management.base import BaseCommand

from onewindow.audit.services import SYSTEM
from onewindow.core.services.calendar import calendar_sync_from_package, package_years, sync_summary


class Command(BaseCommand):
    help = "从 chinese-calendar 数据包同步法定节假日与调休安排到工作日历（管理员逐日调整的日期保持不变）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            nargs="+",
            type=int,
            metavar="YEAR",
            help="要同步的年度，默认同步数据包已有的全部年度",
        )

    def handle(self, *args, years=None, **options):
        known = package_years()
        self.stdout.write(f"节假日数据包包含 {known.start}—{known.stop - 1} 年的安排")
        result = calendar_sync_from_package(actor=SYSTEM, years=years)
        self.stdout.write(self.style.SUCCESS(sync_summary(result)))
        if result.unknown_years:
            self.stdout.write(
                self.style.WARNING(
                    "未知年度不会按周末推算；请县行政审批服务局管理员在后台“工作日历年度”中按国务院通知补录"
                )
            )
