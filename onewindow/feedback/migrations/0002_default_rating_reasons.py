"""The reason labels offered per level out of the box, from national 好差评 practice (国办发〔2019〕51号 and the
provinces' 好差评 systems). The county changes them in 配置管理 → 评价原因选项; this only fills an empty table."""

from django.db import migrations

BAD = [
    "办事指南不准确",
    "多次跑动",
    "办理超时",
    "服务态度差",
    "窗口人员业务不熟",
    "乱收费或变相收费",
    "系统故障",
    "要求提供不必要的材料",
    "排队等候时间长",
    "推诿扯皮",
]
BASIC = ["等候时间较长", "办事指南不够清楚", "办理效率一般", "服务态度一般"]
GOOD = ["办事快", "态度好", "一次办好", "办事指南清楚", "材料精简", "耐心解答", "帮办代办贴心"]
DEFAULTS = {5: GOOD, 4: GOOD, 3: BASIC, 2: BAD, 1: BAD}


def add_defaults(apps, schema_editor):
    RatingReason = apps.get_model("feedback", "RatingReason")
    if RatingReason.objects.exists():
        return
    RatingReason.objects.bulk_create(
        RatingReason(level=level, label=label, position=position)
        for level, labels in DEFAULTS.items()
        for position, label in enumerate(labels, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
