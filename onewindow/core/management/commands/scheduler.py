"""Enqueues the periodic jobs at their intervals (run it as one service beside `db_worker`)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "定时任务调度：按间隔把超时提醒扫描、潮汐窗口检查等周期任务放入任务队列"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只调度一次后退出（测试、cron）")

    def handle(self, *args, once=False, **options):
        from onewindow.cases.tasks import sweep_deadlines_task
        from onewindow.feedback.tasks import sweep_rectifications_task
        from onewindow.hall.tasks import hall_tidal_check_task

        # (task, interval in minutes, label); the loop ticks every minute and enqueues what is due.
        jobs = [
            (sweep_deadlines_task, max(1, settings.ONEWINDOW_SWEEP_MINUTES), "超时提醒扫描"),
            (sweep_rectifications_task, max(1, settings.ONEWINDOW_SWEEP_MINUTES), "差评整改超期提醒"),
            (hall_tidal_check_task, max(1, getattr(settings, "ONEWINDOW_TIDAL_MINUTES", 2)), "潮汐窗口检查"),
        ]
        due = [0.0] * len(jobs)
        while True:
            for i, (job, minutes, label) in enumerate(jobs):
                if time.monotonic() >= due[i]:
                    result = job.enqueue()
                    due[i] = time.monotonic() + minutes * 60
                    self.stdout.write(f"已调度{label}（任务 {result.id}）")
            if once:
                return
            time.sleep(60)
