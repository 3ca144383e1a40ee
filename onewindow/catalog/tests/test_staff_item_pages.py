"""Staff screens for items and guides: create, publish, edit into a new version, history, scoping."""

from dataclasses import replace

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.catalog.forms import initial_from_spec
from onewindow.catalog.models import CatalogEntry, GuideStatus, GuideVersion, ServiceItem
from onewindow.catalog.spec import MaterialSpec
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db
_ROW_FIELDS = {
    "materials": {"name", "form", "copies", "source", "required", "deficiency_allowed", "note", "origin"},
    "procedures": {"name", "limit_days", "counted_in_limit", "note"},
    "stages": {"name", "department_codes", "limit_days"},
    "faq": {"question", "answer"},
}

# A blank row still sends its selects' and checkboxes' defaults.
_BLANK_ROW = {"materials": {"form": "original_and_copy", "source": "applicant", "copies": "1", "required": "on"}}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _value(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list):
        return value
    return "" if value is None else str(value)


def guide_post(spec, *, code=None, owner_town="", change_note="", editing=False):
    """The POST a browser sends for `spec`: scalar fields, then each row list with its management form."""
    initial, rows = initial_from_spec(spec)
    data = {"change_note": change_note}
    if code is not None:
        data.update(code=code, owner_town=owner_town)
    for name, value in initial.items():
        if name != "result_sample" and _value(value) is not None:
            data[name] = _value(value)
    for prefix, entries in rows.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(entries) + 1)  # + the blank row every page has
        for name, value in _BLANK_ROW.get(prefix, {}).items():  # what the browser sends for it
            data[f"{prefix}-{len(entries)}-{name}"] = value
        data[f"{prefix}-INITIAL_FORMS"] = str(len(entries) if editing else 0)
        for i, entry in enumerate(entries):
            for name, value in entry.items():
                if name in _ROW_FIELDS[prefix] and _value(value) is not None:
                    data[f"{prefix}-{i}-{name}"] = _value(value)
    return data


def test_county_admin_creates_publishes_edits_and_sees_the_history(world):
    admin = client_for(world.county_admin)
    # create: a draft, version 1
    response = admin.post(reverse("catalog:staff-item-new"), guide_post(sample_spec(), code="370829-DB-001"))
    assert response.status_code == 302
    item = ServiceItem.objects.get(code="370829-DB-001")
    assert item.owner_town is None and item.current_guide is None
    draft = item.versions.get()
    assert [m.name for m in draft.materials.all()] == [m.name for m in sample_spec().materials]
    assert [s.department_codes for s in draft.stages.all()] == [["social"], ["social", "labour"]]

    # publish: a confirmation page first, then the POST
    publish_url = reverse("catalog:staff-item-publish", args=[item.code])
    assert "确认发布" in admin.get(publish_url).content.decode()
    item.refresh_from_db()
    assert item.current_guide is None  # the GET changed nothing
    assert admin.post(publish_url).status_code == 302
    item.refresh_from_db()
    assert item.current_guide.version == 1 and item.current_guide.published_by == world.county_admin

    # edit the published guide: the edit page is prefilled from version 1, saving makes version 2
    edit_url = reverse("catalog:staff-item-edit", args=[item.code])
    page = admin.get(edit_url).content.decode()
    assert 'value="最低生活保障申请"' in page and "家庭收入证明" in page
    changed = sample_spec(promised_limit_days=12)
    response = admin.post(edit_url, guide_post(changed, change_note="压缩承诺时限", editing=True))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.current_guide.version == 1  # still in force until v2 is published
    assert item.versions.get(status=GuideStatus.DRAFT).version == 2
    admin.post(publish_url)
    item.refresh_from_db()
    assert item.current_guide.version == 2 and item.current_guide.change_note == "压缩承诺时限"
    assert list(item.versions.values_list("version", "status")) == [(2, "published"), (1, "retired")]

    # history: every version, who published, the change note, and the field-by-field comparison
    history = admin.get(reverse("catalog:staff-item-history", args=[item.code])).content.decode()
    assert "第1版" in history and "第2版" in history and "已废止" in history and "压缩承诺时限" in history
    assert "县管理员" in history and "承诺办结时限（工作日）" in history
    version = admin.get(reverse("catalog:staff-version", args=[item.code, 2])).content.decode()
    assert "与第1版相比" in version
    row = version.split("承诺办结时限（工作日）</th>", 1)[1].split("</tr>", 1)[0]
    assert ">15<" in row and ">12<" in row
    assert "法定办结时限" not in version.split("第2版全部内容")[0]  # unchanged fields are not listed


def test_promised_above_legal_shows_the_chinese_message_keeps_input_and_saves_nothing(world):
    admin = client_for(world.county_admin)
    data = guide_post(sample_spec(promised_limit_days=40, name="低保申请（测试）"), code="X-1")
    response = admin.post(reverse("catalog:staff-item-new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "承诺办结时限（40个工作日）不能超过法定办结时限（30个工作日）" in page
    # next to the field: the error list Django ties to the input, and a link to it in the summary
    assert 'id="id_promised_limit_days_error"' in page and 'href="#id_promised_limit_days"' in page
    assert 'value="低保申请（测试）"' in page and 'value="40"' in page and "家庭收入证明" in page
    assert not ServiceItem.objects.exists() and not GuideVersion.objects.exists()


def test_a_row_error_lands_on_its_row(world):
    admin = client_for(world.county_admin)
    spec = sample_spec(materials=[MaterialSpec(name="户口簿"), MaterialSpec(name="户口簿", form="copy")])
    response = admin.post(reverse("catalog:staff-item-new"), guide_post(spec, code="X-1"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_materials-1-name_error"' in page and "材料“户口簿”重复" in page
    assert "申请材料第2行" in page
    assert not ServiceItem.objects.exists()


def test_route_naming_an_unknown_department_is_refused(world):
    admin = client_for(world.county_admin)
    data = guide_post(sample_spec(), code="X-1")
    data["stages-0-department_codes"] = ["nope"]
    response = admin.post(reverse("catalog:staff-item-new"), data)
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode() or "nope" in response.content.decode()
    assert not ServiceItem.objects.exists()


def test_director_creates_an_own_town_item_that_joins_the_town_catalog(world):
    director = world.user("a", "center_director")
    data = guide_post(sample_spec(name="嘉祥街道特色事项"), code="A-OWN-1", owner_town=world.b.region.code)
    response = client_for(director).post(reverse("catalog:staff-item-new"), data)
    assert response.status_code == 302
    item = ServiceItem.objects.get(code="A-OWN-1")
    assert item.owner_town == world.a.region  # a director cannot choose another town
    assert CatalogEntry.objects.filter(town=world.a.region, item=item).exists()


def test_director_sees_county_list_and_own_items_but_not_another_towns(world):
    county_item = make_item(code="C-1", adopt_in=[world.a.region])
    own = make_item(code="A-1", spec=sample_spec(name="甲镇特色"), owner_town=world.a.region)
    foreign = make_item(code="B-1", spec=sample_spec(name="乙镇特色"), owner_town=world.b.region)
    director = client_for(world.user("a", "center_director"))
    page = director.get(reverse("catalog:staff-items")).content.decode()
    assert county_item.code in page and own.code in page and foreign.code not in page
    assert "已纳入·已公布" in page
    # another town's item: "not found" for every screen and action, and nothing changes
    for name in ("staff-item", "staff-item-edit", "staff-item-history", "staff-item-publish", "staff-item-retire"):
        assert director.get(reverse(f"catalog:{name}", args=[foreign.code])).status_code == 404
    response = director.post(reverse("catalog:staff-item-edit", args=[foreign.code]), guide_post(sample_spec()))
    assert response.status_code == 404
    assert director.post(reverse("catalog:staff-item-retire", args=[foreign.code]), {"reason": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.versions.count() == 1 and foreign.current_guide is not None


def test_director_cannot_change_a_county_wide_item(world):
    item = make_item(code="C-1")
    director = client_for(world.user("a", "center_director"))
    detail = director.get(reverse("catalog:staff-item", args=[item.code])).content.decode()
    assert "修改指南" not in detail and "由县行政审批服务局维护" in detail
    assert director.get(reverse("catalog:staff-item-edit", args=[item.code])).status_code == 403
    data = guide_post(sample_spec(promised_limit_days=3), editing=True)
    assert director.post(reverse("catalog:staff-item-edit", args=[item.code]), data).status_code == 403
    assert director.post(reverse("catalog:staff-item-retire", args=[item.code]), {"reason": "x"}).status_code == 403
    assert item.versions.count() == 1
    item.refresh_from_db()
    assert item.current_guide.promised_limit_days == 15


@pytest.mark.parametrize("role", ["front_clerk", "consult_clerk", "reviewer", "supervisor"])
def test_other_roles_are_refused(world, role):
    item = make_item(code="C-1")
    user = client_for(world.user("a", role))
    for url in (
        reverse("catalog:staff-items"),
        reverse("catalog:staff-item-new"),
        reverse("catalog:staff-item", args=[item.code]),
    ):
        assert user.get(url).status_code == 403
    assert user.post(reverse("catalog:staff-item-new"), guide_post(sample_spec(), code="X-9")).status_code == 403
    assert not ServiceItem.objects.filter(code="X-9").exists()


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("catalog:staff-items"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_retire_needs_a_reason_and_discard_needs_confirmation(world):
    item = make_item(code="C-1")
    admin = client_for(world.county_admin)
    retire_url = reverse("catalog:staff-item-retire", args=[item.code])
    response = admin.post(retire_url, {"reason": "  "})
    assert response.status_code == 400 and "请填写废止原因" in response.content.decode()
    item.refresh_from_db()
    assert item.current_guide is not None

    admin.post(reverse("catalog:staff-item-edit", args=[item.code]), guide_post(replace(sample_spec(), hours="全天")))
    discard_url = reverse("catalog:staff-item-discard", args=[item.code])
    assert "确认删除草稿" in admin.get(discard_url).content.decode()
    assert item.versions.filter(status=GuideStatus.DRAFT).exists()
    admin.post(discard_url)
    assert not item.versions.filter(status=GuideStatus.DRAFT).exists()

    assert admin.post(retire_url, {"reason": "上级取消该事项"}).status_code == 302
    item.refresh_from_db()
    assert item.current_guide is None
    event = AuditEvent.objects.get(action=AuditAction.ITEM_RETIRED)
    assert event.after == {"reason": "上级取消该事项"} and event.actor == world.county_admin


def test_list_filters_and_pinyin_search(world):
    make_item(code="C-1", adopt_in=[world.a.region])
    make_item(code="C-2", spec=sample_spec(name="城乡居民医保参保登记", keywords="医保"), publish=False)
    admin = client_for(world.county_admin)
    url = reverse("catalog:staff-items")
    page = admin.get(url, {"q": "dbsq"}).content.decode()
    assert "C-1" in page and "C-2" not in page
    page = admin.get(url, {"status": "draft"}).content.decode()
    assert "C-2" in page and "C-1" not in page
    page = admin.get(url, {"status": "in_service"}).content.decode()
    assert "C-1" in page and "1个镇街纳入，1个已公布" in page


def test_comparison_names_each_changed_element_in_chinese(world):
    from onewindow.catalog.spec import StageSpec
    from onewindow.catalog.views.staff_diff import diff_specs

    before = sample_spec()
    materials = [replace(m, form="copy") if m.name == "户口簿" else m for m in before.materials][:3]
    after = replace(
        before,
        fee_free=False,
        fee_standard="每件10元",
        fee_basis="某文件",
        materials=materials,
        # the same joint stage with its departments listed the other way round is no change
        stages=[before.stages[0], StageSpec(name="联合审核", department_codes=["labour", "social"], limit_days=5)],
    )
    changes = {c.label: (c.before, c.after) for c in diff_specs(before, after)}
    assert changes["不收费"] == ("是", "否")
    assert changes["收费标准"] == ("（空）", "每件10元")
    assert changes["申请材料“户口簿”·材料形式"] == ("原件和复印件", "复印件")
    assert changes["申请材料（删除）"][0].startswith("残疾证")
    assert not any(label.startswith("审批环节") for label in changes)
    assert diff_specs(before, before) == []


def test_publishing_a_route_a_publishing_town_lacks_is_refused_with_the_town_named(world):
    from onewindow.audit.services import SYSTEM
    from onewindow.catalog.spec import StageSpec
    from onewindow.org.models import Department
    from onewindow.org.services import save_department

    save_department(actor=SYSTEM, department=Department(code="civil", name="民政办", kind="town", town=world.a.region))
    item = make_item(code="C-1", adopt_in=[world.a.region, world.b.region])
    admin = client_for(world.county_admin)
    spec = sample_spec(stages=[StageSpec(name="审核", department_codes=["civil"], limit_days=5)])
    assert (
        admin.post(reverse("catalog:staff-item-edit", args=[item.code]), guide_post(spec, editing=True)).status_code
        == 302
    )
    response = admin.post(reverse("catalog:staff-item-publish", args=[item.code]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法发布：审批环节中的部门在已公布该事项的镇街不存在" in page and "纸坊镇缺少civil" in page
    item.refresh_from_db()
    assert item.current_guide.version == 1 and item.versions.get(status=GuideStatus.DRAFT).version == 2


def test_a_tampered_form_is_refused_with_a_message_and_saves_nothing(world):
    data = guide_post(sample_spec(), code="X-1")
    del data["materials-TOTAL_FORMS"]
    response = client_for(world.county_admin).post(reverse("catalog:staff-item-new"), data)
    assert response.status_code == 400
    assert "办事指南内容有误" in response.content.decode() and "申请材料" in response.content.decode()
    assert not ServiceItem.objects.exists()
