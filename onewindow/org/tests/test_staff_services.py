"""save_staff: who may create which account, and the role/scope bindings."""

import pytest

from onewindow.audit.services import SYSTEM
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.org.models import User
from onewindow.org.services import save_staff


@pytest.mark.django_db
def test_director_creates_a_clerk_in_own_town(world):
    director = world.user("a", Role.CENTER_DIRECTOR)
    user = save_staff(
        actor=director,
        user=User(username="new_clerk", name="新受理员", role=Role.FRONT_CLERK, town=world.a.region),
        password="Good-Passw0rd",
    )
    assert user.check_password("Good-Passw0rd")
    assert user.is_staff is False


@pytest.mark.django_db
def test_director_cannot_create_in_another_town(world):
    director = world.user("a", Role.CENTER_DIRECTOR)
    with pytest.raises(Forbidden):
        save_staff(
            actor=director,
            user=User(username="x", role=Role.FRONT_CLERK, town=world.b.region),
            password="Good-Passw0rd",
        )
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_director_cannot_move_another_towns_clerk_into_own_town(world):
    director = world.user("a", Role.CENTER_DIRECTOR)
    clerk = User.objects.get(pk=world.user("b", Role.FRONT_CLERK).pk)
    clerk.town = world.a.region
    with pytest.raises(Forbidden):
        save_staff(actor=director, user=clerk)
    assert User.objects.get(pk=clerk.pk).town_id == world.b.region.pk


@pytest.mark.django_db
def test_clerk_cannot_create_accounts(world):
    with pytest.raises(Forbidden):
        save_staff(
            actor=world.user("a", Role.FRONT_CLERK),
            user=User(username="y", role=Role.FRONT_CLERK, town=world.a.region),
            password="Good-Passw0rd",
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, extra, field",
    [
        (Role.REVIEWER, {}, "department"),
        (Role.AGENT, {}, "village"),
        (Role.FRONT_CLERK, {"town": None}, "town"),
    ],
)
def test_role_bindings_are_required(world, role, extra, field):
    kwargs = {"town": world.a.region, **extra}
    with pytest.raises(ValidationFailed) as exc:
        save_staff(actor=SYSTEM, user=User(username="z", role=role, **kwargs), password="Good-Passw0rd")
    assert field in exc.value.fields
    assert not User.objects.filter(username="z").exists()


@pytest.mark.django_db
def test_agent_village_must_lie_in_the_town(world):
    with pytest.raises(ValidationFailed) as exc:
        save_staff(
            actor=SYSTEM,
            user=User(username="z", role=Role.AGENT, town=world.a.region, village=world.b.villages[0]),
            password="Good-Passw0rd",
        )
    assert "village" in exc.value.fields


@pytest.mark.django_db
def test_reviewer_department_must_belong_to_the_town(world):
    with pytest.raises(ValidationFailed) as exc:
        save_staff(
            actor=SYSTEM,
            user=User(username="z", role=Role.REVIEWER, town=world.a.region, department=world.b.departments[0]),
            password="Good-Passw0rd",
        )
    assert "department" in exc.value.fields


@pytest.mark.django_db
def test_weak_password_is_refused_in_chinese(world):
    with pytest.raises(ValidationFailed) as exc:
        save_staff(actor=SYSTEM, user=User(username="z", role=Role.FRONT_CLERK, town=world.a.region), password="abc")
    assert "password" in exc.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.fields["password"])


@pytest.mark.django_db
def test_new_account_needs_a_password(world):
    with pytest.raises(ValidationFailed):
        save_staff(actor=SYSTEM, user=User(username="z", role=Role.FRONT_CLERK, town=world.a.region))
