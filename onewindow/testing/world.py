"""A small, complete organisation for tests: county → towns A and B → two villages each,
a center and stations, departments, windows, and one account per role in each town.

Built through the org services (SYSTEM actor), as production data would be.
"""

from dataclasses import dataclass, field

from onewindow.audit.services import SYSTEM
from onewindow.core.roles import Role
from onewindow.org.models import BusinessCategory, Department, Region, ServiceCenter, User, Window
from onewindow.org.services import (
    save_business_category,
    save_center,
    save_department,
    save_region,
    save_staff,
    save_window,
)

PASSWORD = "Test-Passw0rd!"


@dataclass
class Town:
    region: Region
    center: ServiceCenter
    villages: list[Region]
    stations: list[ServiceCenter]
    departments: list[Department]
    windows: list[Window]
    users: dict[str, User] = field(default_factory=dict)


@dataclass
class World:
    county: Region
    a: Town
    b: Town
    county_department: Department
    category: BusinessCategory
    county_admin: User
    county_supervisor: User

    def user(self, town: str, role: str) -> User:
        return getattr(self, town).users[role]


def _town(county, code, name, slug, category, county_department) -> Town:
    region = save_region(actor=SYSTEM, region=Region(code=code, name=name, level="town", parent=county))
    center = save_center(
        actor=SYSTEM, center=ServiceCenter(region=region, kind="town_center", name=f"{name}为民服务中心")
    )
    villages, stations = [], []
    for suffix, vname in (("201", f"{name}一村"), ("202", f"{name}二村")):
        village = save_region(
            actor=SYSTEM, region=Region(code=code[:9] + suffix, name=vname, level="village", parent=region)
        )
        villages.append(village)
        stations.append(
            save_center(
                actor=SYSTEM, center=ServiceCenter(region=village, kind="village_station", name=f"{vname}便民服务站")
            )
        )
    departments = [
        save_department(
            actor=SYSTEM, department=Department(code="social", name="社会事务办", kind="town", town=region)
        ),
        save_department(actor=SYSTEM, department=Department(code="labour", name="人社所", kind="town", town=region)),
        save_department(
            actor=SYSTEM,
            department=Department(
                code="market", name="市场监管所", kind="stationed", town=region, county_department=county_department
            ),
        ),
    ]
    windows = [
        save_window(
            actor=SYSTEM,
            window=Window(center=center, number=1, name="医保", kind="high_frequency"),
            categories=[category],
        ),
        save_window(actor=SYSTEM, window=Window(center=center, number=2, name="综合受理", kind="comprehensive")),
        save_window(actor=SYSTEM, window=Window(center=center, number=3, name="潮汐", kind="tidal", is_open=False)),
    ]
    town = Town(region, center, villages, stations, departments, windows)
    bindings = {
        Role.CENTER_DIRECTOR: {},
        Role.FRONT_CLERK: {},
        Role.CONSULT_CLERK: {},
        Role.REVIEWER: {"department": departments[0]},
        Role.COORDINATOR: {},
        Role.OUTPUT_CLERK: {},
        Role.AGENT: {"village": villages[0]},
        Role.SUPERVISOR: {},
        Role.DEVICE: {},
    }
    for role, extra in bindings.items():
        town.users[role.value] = save_staff(
            actor=SYSTEM,
            user=User(username=f"{slug}_{role.value}", name=f"{name}{role.label}", role=role, town=region, **extra),
            password=PASSWORD,
        )
    return town


def build_world() -> World:
    county = save_region(actor=SYSTEM, region=Region(code="370829000000", name="嘉祥县", level="county"))
    category = save_business_category(
        actor=SYSTEM, category=BusinessCategory(code="medical_insurance", name="医保", is_high_frequency=True)
    )
    county_department = save_department(
        actor=SYSTEM, department=Department(code="market", name="县市场监管局", kind="county")
    )
    a = _town(county, "370829001000", "嘉祥街道", "a", category, county_department)
    b = _town(county, "370829101000", "纸坊镇", "b", category, county_department)
    county_admin = save_staff(
        actor=SYSTEM, user=User(username="county_admin", name="县管理员", role=Role.COUNTY_ADMIN), password=PASSWORD
    )
    county_supervisor = save_staff(
        actor=SYSTEM, user=User(username="county_supervisor", name="县督查", role=Role.SUPERVISOR), password=PASSWORD
    )
    return World(county, a, b, county_department, category, county_admin, county_supervisor)
