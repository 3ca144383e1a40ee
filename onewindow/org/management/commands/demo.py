"""manage.py demo — load the 嘉祥县 demo data set (refused unless DEBUG or --force)."""

import json
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onewindow.org.services.demo import load_demo


class Command(BaseCommand):
    help = "载入嘉祥县演示数据（区划、服务中心、部门、窗口、各角色演示账号）；重复运行不会产生重复数据。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="DEBUG 关闭时仍然载入（仅用于演示环境）")
        parser.add_argument("--accounts-json", metavar="FILE", help="把演示账号写入 JSON 文件")
        parser.add_argument("--quiet-accounts", action="store_true", help="不在终端列出演示账号")

    def handle(self, *args, force=False, accounts_json=None, quiet_accounts=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("当前不是调试模式（DEBUG 关闭），拒绝载入演示数据。确需载入请加 --force。")
        result = load_demo()
        if accounts_json:
            # The file holds passwords: readable by its owner only.
            with open(
                os.open(accounts_json, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8"
            ) as handle:
                json.dump(result.accounts, handle, ensure_ascii=False, indent=2)
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪（本次新建 {result.created} 项）。"))
        if not quiet_accounts:
            self.stdout.write(f"演示账号（密码均为 {result.accounts[0]['password']}）：")
            for account in result.accounts:
                scope = " ".join(filter(None, [account["town_code"], account["department"], account["village_code"]]))
                self.stdout.write(f"  {account['username']:<32} {account['role']:<16} {scope}")
