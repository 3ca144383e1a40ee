"""Django's flush, able to empty the audit tables — on a test database only.

The append-only triggers refuse DELETE (SQLite's flush) and TRUNCATE (PostgreSQL's), which is
what keeps `manage.py flush` from wiping a real audit log. But TransactionTestCase (pytest's
`transaction=True`, live_server) flushes after every test, so on a test database the triggers
are lifted for the flush and put back in the same transaction.
"""

import os

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections, transaction
from django.db.backends.base.creation import TEST_DATABASE_PREFIX

from onewindow.audit.models import AuditEvent


def _is_test_database(connection) -> bool:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return True
    return os.path.basename(str(connection.settings_dict["NAME"])).startswith(TEST_DATABASE_PREFIX)


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        table = AuditEvent._meta.db_table
        if table not in connection.introspection.table_names():
            return super().handle(**options)
        if not _is_test_database(connection):
            if AuditEvent.objects.using(options["database"]).exists():
                raise CommandError("审计日志只能追加：flush 不能清空非测试数据库中的审计事件。")
            return super().handle(**options)
        with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
                super().handle(**options)
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            else:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                               [table])
                triggers = cursor.fetchall()
                for name, _sql in triggers:
                    cursor.execute(f'DROP TRIGGER "{name}"')
                super().handle(**options)
                for _name, sql in triggers:
                    cursor.execute(sql)
