"""Loads the 嘉祥县 demo data set through the org services. Running it again changes nothing."""

from dataclasses import dataclass, field

from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import SYSTEM, record
from onewindow.cases.services.demo import load_demo_cases
from onewindow.catalog.services.demo import load_demo_catalog
from onewindow.core.models import CalendarYear
from onewindow.core.roles import Role
from onewindow.core.services.calendar import calendar_sync_from_package
from onewindow.feedback.services.demo import load_demo_feedback
from onewindow.hall.services.demo import load_demo_hall
from onewindow.org import demo_data as data
from onewindow.org.models import BusinessCategory, Department, Region, ServiceCenter, User, Window
from onewindow.org.services.config import (
    save_business_category,
    save_center,
    save_department,
    save_region,
    save_window,
)
from onewindow.org.services.staff import save_staff

_TOWN_ROLES = [
    Role.CENTER_DIRECTOR,
    Role.FRONT_CLERK,
    Role.CONSULT_CLERK,
    Role.COORDINATOR,
    Role.OUTPUT_CLERK,
]


@dataclass
class DemoResult:
    accounts: list[dict] = field(default_factory=list)
    created: int = 0


def _ensure_region(result, *, code, name, level, parent):
    region = Region.objects.filter(code=code).first()
    if region is None:
        region = save_region(actor=SYSTEM, region=Region(code=code, name=name, level=level, parent=parent))
        result.created += 1
    return region


def _ensure_center(result, *, region, kind, name):
    center = ServiceCenter.objects.filter(region=region).first()
    if center is None:
        center = save_center(
            actor=SYSTEM,
            center=ServiceCenter(
                region=region,
                kind=kind,
                name=name,
                address=f"嘉祥县{region.name if kind == 'town_center' else ''}",
                phone="0537-6851234" if kind == ServiceCenter.Kind.TOWN_CENTER else "",
            ),
        )
        result.created += 1
    return center


def _ensure_department(result, *, code, name, kind, town=None, county_department=None):
    department = Department.objects.filter(code=code, town=town).first()
    if department is None:
        department = save_department(
            actor=SYSTEM,
            department=Department(
                code=code,
                name=name,
                kind=kind,
                town=town,
                county_department=county_department,
            ),
        )
        result.created += 1
    return department


def _ensure_account(result, *, username, name, role, town=None, department=None, village=None):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = save_staff(
            actor=SYSTEM,
            user=User(
                username=username,
                name=name,
                role=role,
                town=town,
                department=department,
                village=village,
            ),
            password=data.DEMO_PASSWORD,
        )
        result.created += 1
    result.accounts.append(
        {
            "username": username,
            "password": data.DEMO_PASSWORD,
            "role": role.value if hasattr(role, "value") else role,
            "town_code": town.code if town else None,
            "department": department.code if department else None,
            "village_code": village.code if village else None,
        }
    )
    return user


def _load_org(result):
    county = _ensure_region(result, code=data.COUNTY[0], name=data.COUNTY[1], level=Region.Level.COUNTY, parent=None)
    categories = {}
    for code, name, high_frequency, order in data.CATEGORIES:
        category = BusinessCategory.objects.filter(code=code).first()
        if category is None:
            category = save_business_category(
                actor=SYSTEM,
                category=BusinessCategory(code=code, name=name, is_high_frequency=high_frequency, sort_order=order),
            )
            result.created += 1
        categories[code] = category
    county_departments = {
        code: _ensure_department(result, code=code, name=name, kind=Department.Kind.COUNTY)
        for code, name in data.COUNTY_DEPARTMENTS
    }
    towns = {}
    for code, name, slug, villages in data.TOWNS:
        town = _ensure_region(result, code=code, name=name, level=Region.Level.TOWN, parent=county)
        center = _ensure_center(result, region=town, kind=ServiceCenter.Kind.TOWN_CENTER, name=f"{name}为民服务中心")
        village_regions = []
        for suffix, village_name in villages:
            village = _ensure_region(
                result, code=code[:9] + suffix, name=village_name, level=Region.Level.VILLAGE, parent=town
            )
            _ensure_center(
                result, region=village, kind=ServiceCenter.Kind.VILLAGE_STATION, name=f"{village_name}便民服务站"
            )
            village_regions.append(village)
        departments = {
            dcode: _ensure_department(result, code=dcode, name=dname, kind=Department.Kind.TOWN, town=town)
            for dcode, dname in data.TOWN_DEPARTMENTS
        }
        for dcode, dname, county_code in data.STATIONED_DEPARTMENTS:
            departments[dcode] = _ensure_department(
                result,
                code=dcode,
                name=dname,
                kind=Department.Kind.STATIONED,
                town=town,
                county_department=county_departments[county_code],
            )
        for number, wname, kind, codes, is_open in data.WINDOWS:
            if not Window.objects.filter(center=center, number=number).exists():
                save_window(
                    actor=SYSTEM,
                    window=Window(center=center, number=number, name=wname, kind=kind, is_open=is_open),
                    categories=[categories[c] for c in codes],
                )
                result.created += 1
        towns[slug] = (town, departments, village_regions)
    return towns


def _load_accounts(result, towns):
    _ensure_account(result, username="county_admin", name="县审批局管理员", role=Role.COUNTY_ADMIN)
    _ensure_account(result, username="county_supervisor", name="县督查员", role=Role.SUPERVISOR)
    for slug, (town, departments, villages) in towns.items():
        _ensure_account(
            result, username=f"{slug}_director", name=f"{town.name}中心主任", role=Role.CENTER_DIRECTOR, town=town
        )
        if slug not in data.FULLY_STAFFED_TOWNS:
            continue
        for role in _TOWN_ROLES[1:]:
            _ensure_account(
                result, username=f"{slug}_{role.value}", name=f"{town.name}{role.label}", role=role, town=town
            )
        _ensure_account(
            result,
            username=f"{slug}_reviewer",
            name=f"{town.name}社保所审批员",
            role=Role.REVIEWER,
            town=town,
            department=departments["labour_security"],
        )
        _ensure_account(
            result,
            username=f"{slug}_reviewer_civil",
            name=f"{town.name}社会事务办审批员",
            role=Role.REVIEWER,
            town=town,
            department=departments["social_affairs"],
        )
        _ensure_account(
            result,
            username=f"{slug}_agent",
            name=f"{villages[0].name}代办员",
            role=Role.AGENT,
            town=town,
            village=villages[0],
        )
        _ensure_account(
            result, username=f"{slug}_supervisor", name=f"{town.name}督办员", role=Role.SUPERVISOR, town=town
        )
        _ensure_account(result, username=f"{slug}_kiosk", name=f"{town.name}取号机", role=Role.DEVICE, town=town)


@transaction.atomic
def load_demo() -> DemoResult:
    result = DemoResult()
    if not CalendarYear.objects.exists():
        # Deadlines need the statutory calendar; the package covers 2004–2026.
        calendar_sync_from_package(actor=SYSTEM)
    towns = _load_org(result)
    _load_accounts(result, towns)
    load_demo_catalog(result)
    load_demo_cases(result)  # after the catalog: the cases are of its published items
    load_demo_hall(result)  # the halls, weeks of ticket history, and people waiting now if it is open
    load_demo_feedback(result)  # ratings of that history and what follows them: rectifications, complaints…
    if result.created:
        record(actor=SYSTEM, action=AuditAction.DEMO_LOADED, summary=f"载入演示数据，新建 {result.created} 项")
    return result
