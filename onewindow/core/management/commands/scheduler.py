"""Enqueues the periodic jobs at their intervals (run it as one service beside `db_worker`)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "定时任务调度：按间隔把超时提醒扫描等周期任务放入任务队列"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只调度一次后退出（测试、cron）")

    def handle(self, *args, once=False, **options):
        from onewindow.cases.tasks import sweep_deadlines_task

        interval = max(1, settings.ONEWINDOW_SWEEP_MINUTES) * 60
        while True:
            result = sweep_deadlines_task.enqueue()
            self.stdout.write(f"已调度超时提醒扫描（任务 {result.id}）")
            if once:
                return
            time.sleep(interval)
