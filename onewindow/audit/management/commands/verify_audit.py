"""manage.py verify_audit [--chain CODE …]: recompute every audit chain; non-zero exit on any break."""

from django.core.management.base import BaseCommand, CommandError

from onewindow.audit.verify import describe, verify_chains


class Command(BaseCommand):
    help = "校验审计日志哈希链：逐链重算哈希、检查链接、序号连续和链头；发现断点时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--chain", action="append", dest="chains", metavar="CODE",
            help="只校验该链（镇街12位区划代码，或 county）；可重复。默认校验全部。",
        )

    def handle(self, *args, chains=None, **options):
        broken = 0
        for report in verify_chains(chains=chains):
            line = describe(report)
            if report.ok:
                self.stdout.write(self.style.SUCCESS(line) if options["verbosity"] else line)
            else:
                broken += 1
                self.stdout.write(self.style.ERROR(line))
        if broken:
            raise CommandError(f"审计日志校验失败：{broken} 条链存在断点", returncode=1)
