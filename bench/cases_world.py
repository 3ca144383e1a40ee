"""What the cases generator draws from: the demo towns with their staff and the items they offer, the
working-day clock, and the pools of applicants and query codes encrypted once."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from django.utils import timezone

from onewindow.catalog.models import CatalogEntry
from onewindow.catalog.routing import resolve_route
from onewindow.core import crypto
from onewindow.core.calendar import CalendarNotCovered, is_workday
from onewindow.core.pii import credit_check_char, id_check_char
from onewindow.org.models import Region, ServiceCenter, User

HISTORY_DAYS = 730
POOL = 2000  # distinct applicants (and phones, query codes) encrypted once and reused
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ("桂英", "秀兰", "玉珍", "凤英", "建国", "建华", "志强", "海燕", "丽娟", "红梅", "文军", "德胜", "学军", "春生",
         "明亮", "金凤", "玉兰", "家豪", "子涵", "伟", "芳", "静", "敏")  # fmt: skip
ENTERPRISES = ["嘉祥县{}农机专业合作社", "嘉祥县{}石雕工艺厂", "嘉祥县{}商贸有限公司", "嘉祥县{}家庭农场"]
# Streets (街道) see about twice a township's traffic.
TOWN_WEIGHT = {"370829001000": 2.5, "370829002000": 1.6, "370829003000": 1.6}


@dataclass(frozen=True)
class TownStaff:
    town_id: int
    code: str
    center_id: int
    center_name: str
    villages: list[int]
    front: tuple  # (user id, display name): the front clerk, or the director where the demo has no clerk
    output: tuple
    agent: tuple | None  # (user id, name, village id)
    reviewers: dict  # department id → (user id, name)


@dataclass(frozen=True)
class Offer:
    """An item as one town offers it: its current guide's checklist and the route resolved in that town."""

    item_id: int
    guide_id: int
    name: str
    result: str
    promised: int
    instant: bool
    materials: tuple  # (guide material id, position, name, required, deficiency allowed)
    stages: tuple  # (position, name, limit days, (department ids), (department names))
    deficient: tuple  # positions that may be 容缺

    @classmethod
    def of(cls, item, guide, route) -> Offer:
        materials = tuple(
            (m.pk, m.position, m.name, m.required, m.deficiency_allowed)
            for m in sorted(guide.materials.all(), key=lambda m: m.position)
        )
        stages = tuple(
            (s.position, s.name, s.limit_days, tuple(d.pk for d in depts), tuple(d.name for d in depts))
            for s, depts in route
        )
        return cls(
            item.pk, guide.pk, guide.name, guide.result_name, guide.promised_limit_days, guide.is_instant,
            materials, stages, tuple(m[1] for m in materials if m[4]),
        )  # fmt: skip


class Clock:
    """Working days as indices (add n working days = index + n) and event times as ticks (day * 1440 + minute).

    The project calendar decides which days are working days; past its last year, Monday–Friday."""

    def __init__(self, today: date, now_minute: int):
        first = today - timedelta(days=HISTORY_DAYS)
        self.days, day = [], first
        while day <= today + timedelta(days=400):
            try:
                workday = is_workday(day)
            except CalendarNotCovered:
                workday = day.weekday() < 5
            if workday:
                self.days.append(day)
            day += timedelta(days=1)
        self.history = sum(1 for d in self.days if d < today)  # intake days: every working day before today
        today_index = self.history  # today, or the next working day if today is not one
        on_today = self.days[today_index] == today
        self.now = today_index * 1440 + (now_minute if on_today else 0)
        zone = timezone.get_current_timezone()
        self._midnights = [datetime.combine(d, dtime(0), zone).astimezone(UTC) for d in self.days]

    def at(self, tick: int) -> datetime:
        return self._midnights[tick // 1440] + timedelta(minutes=tick % 1440)

    def day(self, tick: int) -> date:
        return self.days[tick // 1440]


def people(rng: random.Random) -> list[tuple]:
    """(kind, name, id token, id index, phone token, phone index) of POOL applicants, encrypted once."""
    people = []
    for n in range(POOL):
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        if n % 10 == 9:
            first17 = f"9137082{rng.randrange(10**6):06d}{rng.choice('ABCDEFGH')}{rng.randrange(1000):03d}"
            number, kind = first17 + credit_check_char(first17), "enterprise"
            name = rng.choice(ENTERPRISES).format(rng.choice(["鸿运", "兴旺", "振华", "金穗", "祥瑞", "丰收"]))
            purpose = "credit_code"
        else:
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
            first17 = f"370829{born:%Y%m%d}{rng.randrange(1000):03d}"
            number, kind, purpose = first17 + id_check_char(first17), "person", "id_number"
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        people.append(
            (
                kind,
                name,
                crypto.encrypt_pii(number),
                crypto.blind_index(number, purpose=purpose),
                crypto.encrypt_pii(phone),
                crypto.blind_index(phone, purpose="mobile"),
            )
        )
    return people


def query_codes(rng: random.Random) -> list[tuple[str, str]]:
    from onewindow.cases.services.numbering import QUERY_CODE_ALPHABET, query_code_index

    codes = ["".join(rng.choice(QUERY_CODE_ALPHABET) for _ in range(8)) for _ in range(POOL)]
    return [(crypto.encrypt_pii(code), query_code_index(code)) for code in codes]


def _user(username: str) -> tuple[int, str] | None:
    user = User.objects.filter(username=username).first()
    return (user.pk, user.display_name) if user else None


def load_towns(rng: random.Random) -> list[tuple[TownStaff, list[Offer], list[float], float]]:
    """Per demo town: its staff, the items its published catalog offers with a popularity weight each."""
    from onewindow.org import demo_data

    towns = []
    for code, _name, slug, _villages in demo_data.TOWNS:
        town = Region.objects.get(code=code)
        center = ServiceCenter.objects.get(region=town, kind=ServiceCenter.Kind.TOWN_CENTER)
        director = _user(f"{slug}_director")
        front = _user(f"{slug}_front_clerk") or director
        reviewers = {}
        for username in (f"{slug}_reviewer", f"{slug}_reviewer_civil"):
            user = User.objects.filter(username=username).first()
            if user:
                reviewers[user.department_id] = (user.pk, user.display_name)
        agent = User.objects.filter(username=f"{slug}_agent").first()
        staff = TownStaff(
            town_id=town.pk,
            code=code,
            center_id=center.pk,
            center_name=center.name,
            villages=list(Region.objects.filter(parent=town).values_list("pk", flat=True)),
            front=front,
            output=_user(f"{slug}_output_clerk") or director,
            agent=(agent.pk, agent.display_name, agent.village_id) if agent else None,
            reviewers=reviewers,
        )
        entries = (
            CatalogEntry.objects.filter(town=town, is_published=True, item__current_guide__isnull=False)
            .select_related("item__current_guide")
            .prefetch_related("item__current_guide__materials", "item__current_guide__stages")
            .order_by("item__code")
        )
        offers = []
        for entry in entries:
            guide = entry.item.current_guide
            route = [] if guide.is_instant else resolve_route(guide, town)
            if guide.is_instant or route:
                offers.append(Offer.of(entry.item, guide, route))
        rng.shuffle(offers)  # popularity: a few items take most of the traffic (Zipf-like)
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(offers))]
        towns.append((staff, offers, weights, TOWN_WEIGHT.get(code, 1.0)))
    return towns
