"""manage.py demo loads the 嘉祥县 demo catalog: ~40 realistic items, published, adopted by every town at
the window that serves them, routes resolvable everywhere; loading it twice changes nothing."""

import re
import shutil
import tempfile
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.test import Client, TestCase, override_settings

from onewindow.audit.models import AuditEvent
from onewindow.catalog.models import (
    CatalogEntry,
    GuideMaterial,
    GuideStatus,
    GuideVersion,
    HandlingType,
    ServiceItem,
)
from onewindow.catalog.routing import missing_departments, resolve_route
from onewindow.catalog.selectors import public_guide
from onewindow.catalog.services.demo import COUNTY_ITEMS, county_specs, town_specs, window_for
from onewindow.catalog.spec import spec_from_guide
from onewindow.org import demo_data
from onewindow.org.models import Region, Window
from onewindow.org.services.demo import load_demo

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
JIAXIANG_STREET, ZHIFANG = "370829001000", "370829101000"


MEDIA = tempfile.mkdtemp(prefix="onewindow-demo-media-")  # the demo's sample forms are written here


def teardown_module():
    shutil.rmtree(MEDIA, ignore_errors=True)


@override_settings(PASSWORD_HASHERS=FAST_HASHING, MEDIA_ROOT=MEDIA)
class DemoCatalogTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()  # the whole demo, as manage.py demo runs it: the catalog needs its towns and windows

    def test_about_forty_county_items_all_published_across_the_policy_areas(self):
        items = ServiceItem.objects.filter(owner_town__isnull=True)
        assert 38 <= items.count() <= 45 and items.count() == len(COUNTY_ITEMS)
        assert not items.filter(current_guide__isnull=True).exists()
        guides = GuideVersion.objects.filter(item__owner_town__isnull=True, status=GuideStatus.PUBLISHED)
        categories = Counter(guides.values_list("business_category__code", flat=True))
        assert set(categories) == {c for c, *_ in demo_data.CATEGORIES} - {"consultation", "output"}
        names = set(items.values_list("name", flat=True))
        for expected in (
            "城乡居民基本医疗保险参保登记",
            "城乡居民基本养老保险待遇领取",
            "最低生活保障申请",
            "特困人员救助供养",
            "残疾人证申领",
            "80周岁以上老年人高龄津贴",
            "退役军人优待证申领",
            "农业机械购置补贴",
            "农村宅基地和建房（规划许可）审批",
            "农村危房改造",
            "党员组织关系转接",
            "食品经营许可",
            "代开增值税发票",
            "居民身份证申领",
            "电费缴纳",
            "有线电视开户",
        ):
            assert expected in names, expected

    def test_guides_mix_instant_and_promised_items_joint_routes_deficiency_and_fees(self):
        guides = GuideVersion.objects.filter(status=GuideStatus.PUBLISHED).prefetch_related(
            "materials", "stages", "special_procedures"
        )
        handling = Counter(g.handling_type for g in guides)
        assert handling[HandlingType.INSTANT] >= 10 and handling[HandlingType.PROMISED] >= 20
        assert all(g.legal_limit_days >= g.promised_limit_days for g in guides)
        assert sum(any(s.is_joint for s in g.stages.all()) for g in guides) >= 8
        assert sum(any(m.deficiency_allowed for m in g.materials.all()) for g in guides) >= 15
        assert {g.delegation_mode for g in guides} >= {"entrusted", "authorized", "review_devolved", "window_forward"}
        assert {g.source for g in guides} == {"own", "delegated", "public_service"}
        charged = {g.name: g.fee_standard for g in guides if not g.fee_free}
        assert "居民身份证申领" in charged and "20元" in charged["居民身份证申领"]
        assert len(charged) <= 6  # most government services are free
        publicity = [p for g in guides for p in g.special_procedures.all() if "公示" in p.name]
        assert len(publicity) >= 6 and all(p.limit_days == 7 and not p.counted_in_limit for p in publicity)
        survey = GuideVersion.objects.get(name="农村宅基地和建房（规划许可）审批", status=GuideStatus.PUBLISHED)
        assert survey.special_procedures.filter(name__startswith="现场勘查", counted_in_limit=True).exists()
        assert survey.stages.get(position=1).department_codes == ["agriculture", "natural_resources", "construction"]
        assert all(re.fullmatch(r"0537-(6[0-9]{6}|12345|95598|96150)", g.consult_phone) for g in guides)
        assert all(g.faq for g in guides if g.name in ("最低生活保障申请", "农业机械购置补贴", "居民身份证申领"))

    def test_every_town_publishes_every_county_item_at_the_window_serving_its_category(self):
        towns = Region.objects.towns()
        assert towns.count() == len(demo_data.TOWNS)
        county_items = ServiceItem.objects.filter(owner_town__isnull=True).count()
        for town in towns:
            entries = CatalogEntry.objects.filter(town=town, item__owner_town__isnull=True).select_related(
                "window", "item__business_category"
            )
            assert entries.count() == county_items
            assert all(e.is_published and e.published_at for e in entries)
            for entry in entries:
                window, category = entry.window, entry.item.business_category.code
                assert window is not None and window.town_id == town.pk and window.is_open
                served = set(window.categories.values_list("code", flat=True))
                assert category in served, (town.name, entry.item.name, window.name)
        # 综合事项 and 水电缴费 go to the 综合受理 window, 低保 to its own high-frequency window.
        entry = CatalogEntry.objects.get(town__code=ZHIFANG, item__name="农村危房改造")
        assert entry.window.name == "综合受理"
        assert CatalogEntry.objects.get(town__code=ZHIFANG, item__name="电费缴纳").window.name == "综合受理"
        assert CatalogEntry.objects.get(town__code=ZHIFANG, item__name="最低生活保障申请").window.name == "低保五保"

    def test_every_route_resolves_in_every_demo_town_to_town_or_county_departments(self):
        guides = list(
            GuideVersion.objects.filter(status=GuideStatus.PUBLISHED).prefetch_related("stages").select_related("item")
        )
        for town in Region.objects.towns():
            for guide in guides:
                if guide.item.owner_town_id in (None, town.pk):
                    assert missing_departments(guide, town) == [], (town.name, guide.name)
        town = Region.objects.get(code=ZHIFANG)
        subsidy = GuideVersion.objects.get(name="困难残疾人生活补贴", status=GuideStatus.PUBLISHED)
        (joint, joint_departments), (_, county) = resolve_route(subsidy, town)
        assert joint.is_joint and {d.town_id for d in joint_departments} == {town.pk}
        assert [d.name for d in county] == ["嘉祥县民政局"]

    def test_town_own_items_are_in_their_town_only(self):
        own = ServiceItem.objects.filter(owner_town__isnull=False)
        assert own.count() == len(town_specs()) >= 1
        assert set(own.values_list("owner_town__code", flat=True)) == {JIAXIANG_STREET}
        for item in own:
            entry = CatalogEntry.objects.get(item=item)
            assert entry.town.code == JIAXIANG_STREET and entry.is_published and entry.window is not None
        assert not CatalogEntry.objects.filter(item__in=own).exclude(town__code=JIAXIANG_STREET).exists()

    def test_guides_hold_the_demo_data_as_written(self):
        specs = dict(county_specs())
        for item in ServiceItem.objects.filter(owner_town__isnull=True).select_related("current_guide"):
            assert spec_from_guide(item.current_guide).without_files() == specs[item.code], item.name
        guide = public_guide("11370829004349184P0500401001", Region.objects.get(code=ZHIFANG))
        assert guide.name == "最低生活保障申请"
        assert [m.name for m in guide.materials.all() if m.deficiency_allowed] == [
            "家庭成员收入证明",
            "本人银行卡或社会保障卡（金融账户已激活）",
        ]

    def test_some_guides_offer_sample_blank_and_result_files_for_download(self):
        materials = GuideMaterial.objects.filter(guide__status=GuideStatus.PUBLISHED).exclude(sample_file="")
        assert 5 <= materials.count() <= 8
        assert materials.values("guide__item").distinct().count() >= 4
        assert all(m.blank_file for m in materials)
        assert materials.filter(name="最低生活保障申请书").exists()
        results = GuideVersion.objects.filter(status=GuideStatus.PUBLISHED).exclude(result_sample="")
        assert [g.name for g in results] == ["个体工商户登记"]
        for name in [m.sample_file.name for m in materials] + [m.blank_file.name for m in materials]:
            with default_storage.open(name, "rb") as handle:
                pdf = handle.read()
            assert pdf.startswith(b"%PDF-") and b"/FontFile2" in pdf  # Chinese, embedded
        # a citizen downloads the filled-in 低保 application from the public guide page
        dibao = materials.get(name="最低生活保障申请书")
        url = f"/guide/{ZHIFANG}/{dibao.guide.item.code}/files/sample/{dibao.pk}/"
        response = Client().get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")

    def test_items_needing_no_visit_do_not_send_the_applicant_to_a_window(self):
        guides = GuideVersion.objects.filter(status=GuideStatus.PUBLISHED, visits_needed=0)
        assert guides.count() >= 5
        for guide in guides:
            assert guide.online_capable, guide.name
            assert not guide.process_steps[0].startswith("申请人到窗口"), guide.name
            assert guide.process_steps[0].startswith(("网上申请", "通过")), guide.name

    def test_implementation_codes_follow_the_national_layout(self):
        for item in ServiceItem.objects.select_related("current_guide"):
            # 18-character credit code of the implementing body + item type + main item + sub item.
            assert re.fullmatch(r"[0-9A-Z]{18}[0-9]{10}", item.code), item.code
            assert item.code[18:20] == item.current_guide.kind, item.name


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    counts = (
        ServiceItem.objects.count(),
        GuideVersion.objects.count(),
        CatalogEntry.objects.count(),
        AuditEvent.objects.count(),
    )
    again = load_demo()
    assert again.created == 0
    assert counts == (
        ServiceItem.objects.count(),
        GuideVersion.objects.count(),
        CatalogEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def _window(number, kind, categories, is_open=True):
    codes = [SimpleNamespace(code=c) for c in categories]
    return SimpleNamespace(number=number, kind=kind, is_open=is_open, categories=SimpleNamespace(all=lambda: codes))


def test_window_for_prefers_an_open_window_serving_the_category_then_the_comprehensive_one():
    tidal = _window(1, Window.Kind.TIDAL, ["medical_insurance"])
    closed = _window(2, Window.Kind.HIGH_FREQUENCY, ["medical_insurance"], is_open=False)
    medical = _window(3, Window.Kind.HIGH_FREQUENCY, ["medical_insurance"])
    general = _window(4, Window.Kind.COMPREHENSIVE, ["comprehensive"])
    plain = _window(5, Window.Kind.COMPREHENSIVE, [])
    assert window_for([tidal, closed, medical, general], "medical_insurance") is medical
    assert window_for([tidal, closed, general], "medical_insurance") is closed  # closed today, still its window
    assert window_for([tidal, general], "medical_insurance") is general
    assert window_for([tidal, plain], "tax") is plain
    assert window_for([tidal], "tax") is None
