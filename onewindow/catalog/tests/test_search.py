"""Search over a town's published catalog (issue 3 item 7), on the 嘉祥县 demo catalog: Chinese name and
keywords, full pinyin and initials, department and category, every term must match, best first."""

import shutil
import tempfile

from django.test import TestCase, override_settings

from onewindow.audit.services import SYSTEM
from onewindow.catalog.models import CatalogEntry
from onewindow.catalog.selectors import public_items, search_items
from onewindow.catalog.services import catalog_entry_update
from onewindow.org.models import Region
from onewindow.org.services.demo import load_demo

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
JIAXIANG_STREET, ZHIFANG = "370829001000", "370829101000"
DIBAO = "最低生活保障申请"
NONGJI = "农业机械购置补贴"


MEDIA = tempfile.mkdtemp(prefix="onewindow-demo-media-")  # the demo's sample forms are written here


def teardown_module():
    shutil.rmtree(MEDIA, ignore_errors=True)


@override_settings(PASSWORD_HASHERS=FAST_HASHING, MEDIA_ROOT=MEDIA)
class DemoCatalogSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.town = Region.objects.get(code=ZHIFANG)
        cls.street = Region.objects.get(code=JIAXIANG_STREET)

    def names(self, q, town=None):
        return [hit.item.name for hit in search_items(public_items(town or self.town), q)]

    def test_pinyin_initials_and_full_pinyin_find_dibao_first(self):
        for q in ("dbsq", "dibao", "DiBao", " DBSQ ", "低保", "低保申请", "最低生活保障"):
            assert self.names(q)[:1] == [DIBAO], q

    def test_farm_machinery_subsidy_by_initials_pinyin_and_chinese(self):
        for q in ("njgz", "nongji", "nongjibutie", "农机", "农机补贴", "nyjx"):
            assert self.names(q)[:1] == [NONGJI], q
        assert self.names("njgz") == [NONGJI]

    def test_keyword_finds_items_whose_name_lacks_it(self):
        assert self.names("五保")[:1] == ["特困人员救助供养"]
        assert self.names("wubao")[:1] == ["特困人员救助供养"]
        assert self.names("上户口") == ["出生登记"]
        assert self.names("hkqy")[:1] == ["户口迁移"]  # initials of the name 户口迁移

    def test_medical_insurance_keyword_items_rank_above_category_only_items(self):
        names = self.names("医保")
        medical = {
            "城乡居民基本医疗保险参保登记",
            "城乡居民基本医疗保险参保信息变更登记",
            "基本医疗保险关系转移接续",
            "门诊慢特病待遇认定",
            "医疗救助申请",
        }
        assert medical <= set(names)
        assert set(names[:2]) == {"城乡居民基本医疗保险参保登记", "城乡居民基本医疗保险参保信息变更登记"}
        # 门诊慢特病 matches only through its category 医保: it comes after every keyword match.
        assert names.index("门诊慢特病待遇认定") > names.index("城乡居民社会保险费缴纳")
        assert self.names("yibao")[:2] == names[:2]

    def test_department_name_finds_its_items(self):
        assert set(self.names("退役军人事务局")) == {
            "退役军人优待证申领",
            "优抚对象抚恤补助",
            "退役军人信息采集",
            "义务兵家庭优待金发放",
        }
        civil = set(self.names("嘉祥县民政局"))
        assert {DIBAO, "临时救助", "80周岁以上老年人高龄津贴", "困难残疾人生活补贴"} <= civil
        assert NONGJI not in civil

    def test_category_name_finds_its_items(self):
        assert set(self.names("低保五保")) == {DIBAO, "特困人员救助供养", "临时救助"}
        assert set(self.names("水电缴费")) == {"电费缴纳", "水费缴纳", "有线电视开户", "有线电视缴费"}

    def test_every_term_must_match(self):
        assert set(self.names("残疾 补贴")) == {"困难残疾人生活补贴", "重度残疾人护理补贴"}
        assert self.names("低保 申请") == [DIBAO]
        assert set(self.names("医保 dengji")) == {
            "城乡居民基本医疗保险参保登记",
            "城乡居民基本医疗保险参保信息变更登记",
        }
        assert self.names("低保 农机") == []

    def test_exact_name_ranks_above_name_match_above_keyword_above_department(self):
        assert self.names("居民身份证申领") == ["居民身份证申领", "临时居民身份证申领"]
        names = self.names("退役军人")
        assert set(names[:2]) == {"退役军人优待证申领", "退役军人信息采集"}  # names starting with it
        assert names[2] == "优抚对象抚恤补助"  # keyword 退役军人
        assert names[3:] == ["义务兵家庭优待金发放"]  # only its department, 嘉祥县退役军人事务局
        scores = [hit.score for hit in search_items(public_items(self.town), "退役军人")]
        assert scores == sorted(scores, reverse=True) and scores[0] > scores[2] > scores[3]

    def test_pinyin_inside_a_name_ranks_above_a_keyword_that_starts_with_it(self):
        # `yanglao` (养老): the three 养老保险 items by name, then 社会保险费缴纳 by its keyword 养老保险缴费.
        names = self.names("yanglao")
        assert names == self.names("养老")
        assert names[-1] == "城乡居民社会保险费缴纳" and all("养老" in name for name in names[:-1])

    def test_one_letter_matches_where_a_name_or_keyword_starts(self):
        names = self.names("d")
        assert {"电费缴纳", "代开增值税发票", "党员组织关系转接", DIBAO} <= set(names)  # 电… 代… 党… keyword 低保
        assert "城乡居民基本医疗保险参保登记" not in names  # its d is inside 参保登记 only
        assert names[0] in ("电费缴纳", "代开增值税发票", "党员组织关系转接")  # a name before a keyword

    def test_implementation_code_finds_the_item(self):
        assert self.names("11370829004349184P0500401001") == [DIBAO]

    def test_search_is_scoped_to_the_towns_published_catalog(self):
        # 嘉祥街道's own 特色 item is found there, not in 纸坊镇.
        assert self.names("助餐", town=self.street) == ["长者助餐服务申请"]
        assert self.names("zhucan", town=self.street) == ["长者助餐服务申请"]
        assert self.names("助餐") == [] and self.names("zhucan") == []
        # An entry the town withdrew from its public catalog is no longer found there.
        entry = CatalogEntry.objects.get(town=self.town, item__name=NONGJI)
        catalog_entry_update(actor=SYSTEM, entry=entry, is_published=False)
        assert self.names("njgz") == []
        assert self.names("njgz", town=self.street) == [NONGJI]

    def test_empty_or_garbage_queries_find_nothing_without_error(self):
        for q in ("", "   ", None, "！？。", "%", "_", "%%__", "' OR 1=1 --", "zzqxzzqx", "x" * 500, "\x00", "\t\x1b"):
            assert search_items(public_items(self.town), q) == [], repr(q)
        # A NUL (`?q=%00`) is dropped, not sent to the database (PostgreSQL refuses it in a parameter).
        assert self.names("低保\x00")[:1] == [DIBAO]
