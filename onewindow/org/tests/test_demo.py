"""manage.py demo: the 嘉祥县 data set, one account per role, idempotent, refused outside DEBUG."""

import json

import pytest
from django.core.management import CommandError, call_command

from onewindow.core.roles import Role
from onewindow.org.models import Region, ServiceCenter, User, Window

JIAXIANG_TOWNS = {
    "嘉祥街道",
    "卧龙山街道",
    "万张街道",
    "纸坊镇",
    "梁宝寺镇",
    "疃里镇",
    "马村镇",
    "金屯镇",
    "大张楼镇",
    "马集镇",
    "仲山镇",
    "孟姑集镇",
    "老僧堂镇",
    "满硐镇",
    "黄垓乡",
}


@pytest.mark.django_db
def test_demo_refused_unless_debug_or_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="拒绝载入"):
        call_command("demo")
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_demo_builds_the_county_and_is_idempotent(settings, tmp_path):
    settings.DEBUG = True
    accounts_file = tmp_path / "accounts.json"
    call_command("demo", accounts_json=str(accounts_file), quiet_accounts=True)
    counts = (Region.objects.count(), ServiceCenter.objects.count(), Window.objects.count(), User.objects.count())
    call_command("demo", "--force", quiet_accounts=True)
    assert counts == (
        Region.objects.count(),
        ServiceCenter.objects.count(),
        Window.objects.count(),
        User.objects.count(),
    )

    assert set(Region.objects.towns().values_list("name", flat=True)) == JIAXIANG_TOWNS
    assert Region.objects.get(code="370829000000").name == "嘉祥县"
    for town in Region.objects.towns():
        assert town.children.count() >= 2
        center = ServiceCenter.objects.get(region=town)
        high_frequency = center.windows.filter(kind=Window.Kind.HIGH_FREQUENCY).count()
        assert 4 <= high_frequency <= 6
        kinds = set(center.windows.values_list("kind", flat=True))
        assert {"comprehensive", "consultation", "output", "tidal"} <= kinds

    accounts = json.loads(accounts_file.read_text(encoding="utf-8"))
    assert {a["role"] for a in accounts} == set(Role.values)
    assert set(accounts[0]) == {"username", "password", "role", "town_code", "department", "village_code"}
    agent = next(a for a in accounts if a["role"] == "agent")
    assert agent["village_code"].startswith(agent["town_code"][:9])
    reviewer = next(a for a in accounts if a["role"] == "reviewer")
    assert reviewer["department"]
    for account in accounts:
        user = User.objects.get(username=account["username"])
        assert user.check_password(account["password"])
