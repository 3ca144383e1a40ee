"""Configuration writes: authority over the stored and the new version, region rules, account safety."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import SYSTEM
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import ScopeRule, scope_of
from onewindow.org.models import Department, Region, User
from onewindow.org.services import save_department, save_region, save_staff, staff_change_password
from onewindow.testing.world import PASSWORD


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_director_cannot_turn_a_county_department_into_a_town_one(world):
    director = world.user("a", Role.CENTER_DIRECTOR)
    department = Department.objects.get(pk=world.county_department.pk)
    department.kind, department.town = Department.Kind.TOWN, world.a.region
    with pytest.raises(Forbidden):
        save_department(actor=director, department=department)
    assert Department.objects.get(pk=department.pk).town_id is None


@pytest.mark.django_db
def test_the_same_refusal_shows_as_an_admin_form_error(world):
    director = world.user("a", Role.CENTER_DIRECTOR)
    department = world.county_department
    response = client_for(director).post(f"/admin/org/department/{department.pk}/change/", {
        "name": "被改走", "code": "market_x", "kind": "town", "town": world.a.region.pk, "is_active": "on",
    })
    assert response.status_code == 200
    assert "县级配置" in response.content.decode()
    assert Department.objects.get(pk=department.pk).name == department.name


@pytest.mark.django_db
def test_county_and_town_departments_do_not_convert_even_for_the_county(world):
    department = Department.objects.get(pk=world.a.departments[0].pk)
    department.kind, department.town = Department.Kind.COUNTY, None
    with pytest.raises(Conflict):
        save_department(actor=world.county_admin, department=department)


@pytest.mark.django_db
def test_editing_an_account_in_admin_without_a_password_keeps_the_password(world):
    director = world.user("a", Role.CENTER_DIRECTOR)
    clerk = world.user("a", Role.FRONT_CLERK)
    response = client_for(director).post(f"/admin/org/user/{clerk.pk}/change/", {
        "username": clerk.username, "name": "改了名字", "new_password": "", "role": "front_clerk",
        "town": world.a.region.pk, "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:1500]
    clerk.refresh_from_db()
    assert clerk.name == "改了名字"
    assert clerk.check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("code, level", [
    ("370829001001", "town"),      # a village-shaped code as a town
    ("370829000000", "town"),      # the county's code as a town
    ("370829001000", "village"),   # a town-shaped code as a village
    ("370829101000", "county"),    # a town-shaped code as the county
])
def test_region_codes_must_have_the_shape_of_their_level(world, code, level):
    parent = {"town": world.county, "village": world.a.region, "county": None}[level]
    with pytest.raises(ValidationFailed) as exc:
        save_region(actor=SYSTEM, region=Region(code=code, name="测试", level=level, parent=parent))
    assert "code" in exc.value.fields


@pytest.mark.django_db
def test_a_village_code_must_continue_its_towns(world):
    with pytest.raises(ValidationFailed):
        save_region(actor=SYSTEM, region=Region(code="370829101205", name="错位村", level="village",
                                                parent=world.a.region))


@pytest.mark.django_db
def test_a_region_in_use_cannot_be_moved(world):
    village = Region.objects.get(pk=world.a.villages[0].pk)
    village.parent = world.b.region
    with pytest.raises(Conflict):
        save_region(actor=world.county_admin, region=village)
    assert Region.objects.get(pk=village.pk).parent_id == world.a.region.pk


@pytest.mark.django_db
def test_renaming_a_region_is_fine(world):
    village = Region.objects.get(pk=world.a.villages[0].pk)
    village.name = "新名称村"
    save_region(actor=world.county_admin, region=village)
    assert Region.objects.get(pk=village.pk).name == "新名称村"


@pytest.mark.django_db
def test_failed_login_never_stores_what_was_typed(world):
    client = Client()
    typed = "370829199001011234"  # somebody typed an ID number into the user-name box
    client.post("/accounts/login/", {"username": typed, "password": "x"})
    client.post("/accounts/login/", {"username": world.user("a", Role.FRONT_CLERK).username, "password": "x"})
    events = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id")
    assert events.count() == 2
    for event in events:
        assert typed not in f"{event.summary}{event.after}{event.target_repr}"
    assert events[1].chain == world.a.region.code
    assert events[1].target_id == str(world.user("a", Role.FRONT_CLERK).pk)


@pytest.mark.django_db
def test_device_accounts_cannot_use_staff_pages(world):
    response = Client().post("/accounts/login/", {"username": world.user("a", Role.DEVICE).username,
                                                  "password": PASSWORD})
    assert response.status_code == 200
    assert "设备账号" in response.content.decode()


@pytest.mark.django_db
def test_password_change_and_deactivation_revoke_api_tokens(world):
    clerk = world.user("a", Role.FRONT_CLERK)
    Token.objects.create(user=clerk)
    staff_change_password(actor=clerk, old_password=PASSWORD, new_password="Another-Pass-2026")
    assert not Token.objects.filter(user=clerk).exists()

    kiosk = User.objects.get(pk=world.user("a", Role.DEVICE).pk)
    Token.objects.create(user=kiosk)
    kiosk.is_active = False
    save_staff(actor=world.user("a", Role.CENTER_DIRECTOR), user=kiosk)
    assert not Token.objects.filter(user=kiosk).exists()


@pytest.mark.django_db
def test_department_bound_role_without_department_fails_closed(world):
    reviewer = world.user("a", Role.REVIEWER)
    reviewer.department_id = None
    assert ScopeRule(town="town", department="department").condition(scope_of(reviewer)) is None
