from django.core.management.base import BaseCommand

from onewindow.cases.services.deadlines import sweep_deadlines


class Command(BaseCommand):
    help = "超时提醒：向经办人和中心主任发送即将到期、已超期提醒，并终止容缺材料逾期未补交的办件"

    def handle(self, *args, **options):
        report = sweep_deadlines()
        self.stdout.write(
            f"办件提醒 {report.case_reminders} 条，审批环节提醒 {report.task_reminders} 条，"
            f"终止办件 {len(report.terminated)} 件"
        )
