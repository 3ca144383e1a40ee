"""The catalog at 2,000 items: guide-page render and search latency, in one town's published catalog.

Setup: a generator gives town A of build_world() 2,000 published items, each with a full guide
(5 materials, one of them 容缺; 2 stages, the second a joint one; a special procedure; 2 FAQ) in
town A's published catalog. Names are subject × action pairs from a township catalog vocabulary
(`最低生活保障` × `申请` …), keywords their short forms (低保, 低保申请 …), so a query meets
realistic crowds: `低保` matches 105 items (keyword or the category 低保五保), `申请` 58, one
letter `d` 205. Rows are written with bulk_create (2,000 items through the audited services would
take minutes and measure the audit log, not the catalog); the search index (`search_pinyin`) is
built by the same function the services use.

  baseline   ServiceItem.objects.get(pk=…) — a bare primary-key lookup, interleaved with every table.
  selectors  search_items(public_items(town), q) for Chinese, full-pinyin, initials and broad
             queries; public_guide(code, town) with the rows the guide page reads.
  HTTP       django.test.Client (all middleware, no sockets): the public guide page
             (catalog:public-guide, QR code included), GET /api/v1/items/?town=&q=, and the item API.
"""

from __future__ import annotations

import itertools
import random

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.harness import check, fmt_ms, measure, print_table
from onewindow.audit.services import SYSTEM
from onewindow.catalog.models import (
    CatalogEntry,
    GuideMaterial,
    GuideStatus,
    GuideVersion,
    RouteStage,
    ServiceItem,
    SpecialProcedure,
)
from onewindow.catalog.pinyin import search_pinyin
from onewindow.catalog.selectors import public_guide, public_items, search_items
from onewindow.org.models import BusinessCategory, Department
from onewindow.org.services import save_business_category, save_department

ITEMS = 2000
DIBAO, NONGJI = "最低生活保障申请", "农业机械购置补贴"

# subject, short form (keyword), category code, county department code
SUBJECTS = [
    ("城乡居民基本医疗保险", "医保", "medical_insurance", "medical"),
    ("城乡居民基本养老保险", "养老保险", "social_security", "hrss"),
    ("职工基本养老保险", "职工养老", "social_security", "hrss"),
    ("失业保险", "失业金", "social_security", "hrss"),
    ("工伤保险", "工伤", "social_security", "hrss"),
    ("最低生活保障", "低保", "social_assistance", "civil"),
    ("特困人员救助供养", "五保", "social_assistance", "civil"),
    ("临时救助", "救急难", "social_assistance", "civil"),
    ("困难残疾人生活补贴", "两项补贴", "comprehensive", "civil"),
    ("高龄津贴", "高龄补贴", "comprehensive", "civil"),
    ("退役军人优待证", "优待证", "veterans", "veterans"),
    ("优抚对象抚恤补助", "抚恤金", "veterans", "veterans"),
    ("义务兵家庭优待金", "优待金", "veterans", "veterans"),
    ("农业机械", "农机", "comprehensive", "agriculture"),
    ("耕地地力保护补贴", "种粮补贴", "comprehensive", "agriculture"),
    ("农村宅基地", "宅基地", "comprehensive", "agriculture"),
    ("农村危房改造", "危房", "comprehensive", "housing"),
    ("个体工商户", "个体户", "market", "market"),
    ("农民专业合作社", "合作社", "market", "market"),
    ("食品经营", "食品许可", "market", "market"),
    ("小餐饮", "小饭店", "market", "market"),
    ("药品零售", "药店", "market", "market"),
    ("增值税发票", "发票", "tax", "tax"),
    ("社会保险费", "社保缴费", "tax", "tax"),
    ("居民身份证", "身份证", "household", "police"),
    ("户口", "户籍", "household", "police"),
    ("居住证", "暂住证", "household", "police"),
    ("出生医学证明", "出生证", "comprehensive", "health"),
    ("生育登记", "准生证", "comprehensive", "health"),
    ("计划生育家庭特别扶助", "特扶", "comprehensive", "health"),
    ("独生子女父母奖励", "独生子女", "comprehensive", "health"),
    ("村卫生室", "卫生室", "comprehensive", "health"),
    ("乡村医生执业", "村医", "comprehensive", "health"),
    ("林木采伐", "砍树", "comprehensive", "agriculture"),
    ("动物防疫条件", "防疫", "comprehensive", "agriculture"),
    ("兽药经营", "兽药", "comprehensive", "agriculture"),
    ("农药经营", "农药", "comprehensive", "agriculture"),
    ("农作物种子经营", "种子", "comprehensive", "agriculture"),
    ("取水", "取水许可", "comprehensive", "water"),
    ("河道采砂", "采砂", "comprehensive", "water"),
    ("乡村建设规划", "建房规划", "comprehensive", "housing"),
    ("建筑工程施工", "施工许可", "comprehensive", "housing"),
    ("公共场所卫生", "卫生许可", "comprehensive", "health"),
    ("道路货物运输", "货运", "comprehensive", "transport"),
    ("出租汽车", "出租车", "comprehensive", "transport"),
    ("民办幼儿园", "幼儿园", "comprehensive", "education"),
    ("养老机构", "敬老院", "comprehensive", "civil"),
    ("社会团体", "社团", "comprehensive", "civil"),
    ("法律援助", "法援", "comprehensive", "justice"),
    ("人民调解", "调解", "comprehensive", "justice"),
    ("电费", "电费", "public_utility", "power"),
    ("水费", "水费", "public_utility", "water"),
    ("有线电视", "有线", "public_utility", "power"),
    ("就业创业证", "失业证", "social_security", "hrss"),
    ("社会保障卡", "社保卡", "social_security", "hrss"),
    ("门诊慢特病", "慢性病", "medical_insurance", "medical"),
    ("医疗救助", "大病救助", "medical_insurance", "medical"),
    ("基本医疗保险关系", "医保转移", "medical_insurance", "medical"),
]
ACTIONS = [
    "申请", "登记", "变更登记", "注销登记", "补领", "换领", "备案", "许可", "审批", "资格认定", "待遇领取",
    "补贴申领", "信息查询", "证明开具", "年度审验", "转移接续", "延续", "核验", "认定", "缴费", "报销",
    "复核", "停发", "恢复", "迁移", "撤销", "奖励", "资助", "评估", "培训报名", "预约", "购置补贴",
    "投诉受理", "咨询", "信息采集",
]  # fmt: skip
CATEGORY_NAMES = {
    "medical_insurance": "医保",
    "social_security": "社保",
    "veterans": "退役军人优抚",
    "social_assistance": "低保五保",
    "comprehensive": "综合事项",
    "market": "市场监管",
    "tax": "税务",
    "household": "户籍",
    "public_utility": "水电缴费及有线电视",
}
DEPARTMENT_NAMES = {
    "medical": "县医疗保障局",
    "hrss": "县人力资源和社会保障局",
    "civil": "县民政局",
    "veterans": "县退役军人事务局",
    "agriculture": "县农业农村局",
    "housing": "县住房和城乡建设局",
    "tax": "县税务局",
    "police": "县公安局",
    "health": "县卫生健康局",
    "water": "县水务局",
    "transport": "县交通运输局",
    "education": "县教育和体育局",
    "justice": "县司法局",
    "power": "县供电公司",
}
MATERIALS = ["申请表", "申请人居民身份证", "户口簿", "相关证明材料", "委托书"]


def _categories() -> dict[str, BusinessCategory]:
    """The business categories, reusing those another benchmark already made (one database per run)."""
    found = {c.code: c for c in BusinessCategory.objects.filter(code__in=CATEGORY_NAMES)}
    for order, (code, name) in enumerate(CATEGORY_NAMES.items(), start=1):
        if code not in found:
            name = name if not BusinessCategory.objects.filter(name=name).exists() else f"{name}（测）"
            found[code] = save_business_category(
                actor=SYSTEM, category=BusinessCategory(code=code, name=name, sort_order=order)
            )
    return found


def _departments(world) -> dict[str, Department]:
    found = {"market": world.county_department}
    found |= {d.code: d for d in Department.objects.filter(town__isnull=True, code__in=DEPARTMENT_NAMES)}
    for code, name in DEPARTMENT_NAMES.items():
        if code not in found:
            found[code] = save_department(actor=SYSTEM, department=Department(code=code, name=name, kind="county"))
    return found


def _names() -> list[tuple[str, str, str, str]]:
    """ITEMS distinct (name, keywords, category, department) — the two needles first."""
    rows = [
        (DIBAO, "低保, 低保申请, 最低生活保障", "social_assistance", "civil"),
        (NONGJI, "农机补贴, 农机购置补贴", "comprehensive", "agriculture"),
    ]
    seen = {name for name, *_ in rows}
    for action, (subject, short, category, department) in itertools.product(ACTIONS, SUBJECTS):
        name = f"{subject}{action}"
        if name not in seen and len(rows) < ITEMS:
            seen.add(name)
            rows.append((name, f"{short}, {short}{action}", category, department))
    check(len(rows) == ITEMS, f"the vocabulary makes {len(rows)} names, not {ITEMS}")
    return rows


def generate(world) -> tuple[list[ServiceItem], str]:
    """ITEMS published items with full guides in town A's published catalog; returns (items, dibao code)."""
    town, window = world.a.region, world.a.windows[1]
    categories, departments = _categories(), _departments(world)
    rows = _names()
    items = ServiceItem.objects.bulk_create(
        ServiceItem(
            code=f"370829-BENCH-{n:04d}",
            name=name,
            keywords=keywords,
            search_pinyin=search_pinyin(name, keywords),
            department=departments[department],
            business_category=categories[category],
        )
        for n, (name, keywords, category, department) in enumerate(rows)
    )
    now, today, rng = timezone.now(), timezone.localdate(), random.Random(3)
    guides = GuideVersion.objects.bulk_create(
        GuideVersion(
            item=item,
            version=1,
            status=GuideStatus.PUBLISHED,
            valid_from=today,
            published_at=now,
            name=item.name,
            kind=rng.choice(["01", "05", "07", "20"]),
            source="delegated",
            delegation_mode="entrusted",
            source_department=item.department,
            exercise_levels=["town"],
            implementing_body=item.department.name,
            accepting_unit="镇（街道）为民服务中心",
            handling_type="promised",
            legal_limit_days=20,
            promised_limit_days=10,
            conditions=f"符合{item.name}有关规定条件的本县居民。" * 3,
            legal_basis="《中华人民共和国行政许可法》；《山东省行政程序规定》",
            process_steps=["申请", "受理", "审核", "决定", "送达"],
            result_name=f"{item.name}结果通知书",
            place="嘉祥街道为民服务中心",
            hours="法定工作日 上午8:30—12:00，下午13:30—17:30",
            consult_phone="0537-6851234",
            complaint_phone="0537-12345",
            window_category="comprehensive",
            business_category=item.business_category,
            keywords=item.keywords,
            faq=[
                {"question": "需要本人到场吗？", "answer": "可委托代办。"},
                {"question": "收费吗？", "answer": "不收费。"},
            ],
        )
        for item in items
    )
    GuideMaterial.objects.bulk_create(
        GuideMaterial(
            guide=guide,
            position=position,
            name=name,
            form="original_and_copy",
            source="center" if position == 1 else "applicant",
            required=position < 5,
            deficiency_allowed=position == 4,
            note="可容缺受理，办结前补交" if position == 4 else "",
        )
        for guide in guides
        for position, name in enumerate(MATERIALS, start=1)
    )
    RouteStage.objects.bulk_create(
        RouteStage(guide=guide, position=position, name=name, department_codes=codes, limit_days=days)
        for guide in guides
        for position, (name, codes, days) in enumerate(
            [("初审", ["social"], 3), ("联合审核", ["social", "labour"], 5)], start=1
        )
    )
    SpecialProcedure.objects.bulk_create(
        SpecialProcedure(guide=guide, position=1, name="公示", limit_days=7, note="不计入办结时限") for guide in guides
    )
    for item, guide in zip(items, guides, strict=True):
        item.current_guide = guide
    ServiceItem.objects.bulk_update(items, ["current_guide"], batch_size=500)
    CatalogEntry.objects.bulk_create(
        CatalogEntry(town=town, item=item, window=window, is_published=True, published_at=now) for item in items
    )
    return items, items[0].code


def _p95(stats) -> None:
    for row in stats:
        row.extra["p95 ms"] = fmt_ms(row.percentile_ms(0.95))


def _url(name, args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def run(ctx) -> None:
    world = ctx.world
    town = world.a.region
    started = timezone.now()
    items, dibao_code = generate(world)
    seconds = (timezone.now() - started).total_seconds()
    print(f"   (setup: {ITEMS:,} items with guides in {town.name}'s published catalog, bulk: {seconds:.1f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    pks = [item.pk for item in items]

    def baseline(i):
        ServiceItem.objects.get(pk=pks[(i * 7919) % len(pks)])

    queries = {
        "Chinese 低保": "低保",
        "Chinese 最低生活保障申请 (exact name)": DIBAO,
        "full pinyin dibao": "dibao",
        "initials dbsq": "dbsq",
        "initials njgz": "njgz",
        "two terms 低保 申请": "低保 申请",
        "broad Chinese 申请": "申请",
        "broad initials sq": "sq",
        "one letter d (search-as-you-type)": "d",
    }
    expected_first = {"低保": DIBAO, DIBAO: DIBAO, "dibao": DIBAO, "dbsq": DIBAO, "njgz": NONGJI, "低保 申请": DIBAO}
    hits = {}
    for label, q in queries.items():
        found = search_items(public_items(town), q)
        hits[label] = len(search_items(public_items(town), q, limit=ITEMS))
        if q in expected_first:
            check(found and found[0].item.name == expected_first[q], f"search {q!r} put {found[:1]} first")
    check(public_guide(dibao_code, town).materials.count() == len(MATERIALS), "guide without its materials")

    def search(q):
        return lambda _i: search_items(public_items(town), q)

    def guide(i):
        g = public_guide(items[(i * 7919) % len(items)].code, town)
        list(g.materials.all()), list(g.stages.all()), list(g.special_procedures.all())

    cases = {"baseline: ServiceItem pk lookup": baseline, "public_guide() + its rows": guide}
    cases |= {f"search {label}": search(q) for label, q in queries.items()}
    stats = measure(
        cases, budget_s=ctx.budget(20), max_ops=2000, batch=10, warmup=3, baseline="baseline: ServiceItem pk lookup"
    )
    _p95(stats)
    counts = {name: ctx.count_queries(name, lambda fn=fn: fn(0)) for name, fn in cases.items()}
    for row in stats:
        row.extra["queries/op"] = counts[row.name]
        label = row.name.removeprefix("search ")
        row.extra["hits"] = f"{hits[label]:,}" if label in hits else ""
    print_table(
        f"catalog selectors, {ITEMS:,} items in one town — {ctx.vendor_label}",
        stats,
        extra_columns=("p95 ms", "queries/op", "hits"),
    )

    _run_http(ctx, town, items, dibao_code, baseline)


def _run_http(ctx, town, items, dibao_code, baseline) -> None:
    client = Client()
    requests = {}
    guide_path = _url("catalog:public-guide", [town.code, dibao_code])
    if guide_path:
        requests["GET guide page (最低生活保障申请)"] = guide_path
    api = _url("api-items", []) or "/api/v1/items/"
    requests["GET api items ?town&q=dibao"] = f"{api}?town={town.code}&q=dibao"
    requests["GET api items ?town&q=低保"] = f"{api}?town={town.code}&q=低保"
    requests["GET api items ?town&q=sq (broad)"] = f"{api}?town={town.code}&q=sq"
    requests["GET api items/{code}/?town"] = f"{api}{dibao_code}/?town={town.code}"
    town_path = _url("catalog:public-town", [town.code])
    if town_path:
        requests["GET town page ?q=dbsq"] = f"{town_path}?q=dbsq"

    for name, path in requests.items():
        response = client.get(path)
        check(response.status_code == 200, f"{name}: GET {path} answered {response.status_code}")
        if "?town" in path and "q=" in path and "sq (broad)" not in name:
            check(response.json()["results"][0]["name"] == DIBAO, f"{name}: {DIBAO} not first")
    if guide_path:
        page = client.get(guide_path).content.decode()
        check(DIBAO in page and "可容缺" in page and "<svg" in page, "guide page lacks the name, 容缺 or its QR code")

    def get(path):
        def fn(_i):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"bench: GET {path} answered {response.status_code}")

        return fn

    cases = {"baseline: ServiceItem pk lookup": baseline} | {name: get(path) for name, path in requests.items()}
    stats = measure(
        cases, budget_s=ctx.budget(20), max_ops=1500, batch=10, warmup=3, baseline="baseline: ServiceItem pk lookup"
    )
    _p95(stats)
    counts = {name: ctx.count_queries(name, lambda fn=fn: fn(0)) for name, fn in cases.items()}
    sizes = {name: f"{len(client.get(path).content):,}" for name, path in requests.items()}
    for row in stats:
        row.extra["queries/op"] = counts[row.name]
        row.extra["bytes"] = sizes.get(row.name, "")
    missing = "" if guide_path else "\n(catalog:public-guide is not mounted yet: the guide page row is missing.)"
    print_table(
        f"catalog pages and API in process (django.test.Client), {ITEMS:,} items — {ctx.vendor_label}",
        stats,
        extra_columns=("p95 ms", "queries/op", "bytes"),
        note="In process: no HTTP parsing, no WSGI server; the guide page draws its QR code on each request." + missing,
    )
