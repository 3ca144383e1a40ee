"""Every role × every kind of object, own scope vs the other town / department / village.

The expectation table below is written from DESIGN §1, independently of the ScopeRules, so a rule
that leaks (or hides too much) fails here.
"""

import pytest

from onewindow.audit.models import AuditEvent
from onewindow.core.roles import Role
from onewindow.org.models import Department, Region, ServiceCenter, User, Window

ALL, OWN_TOWN, NONE = "all", "own_town", "none"
# Department visibility for town roles: own town's departments plus the county departments.
OWN_TOWN_AND_COUNTY = "own_town_and_county"

TOWN_ROLES = [r.value for r in Role if r != Role.COUNTY_ADMIN]

EXPECTED = {
    Window: {**{r: OWN_TOWN for r in TOWN_ROLES}},
    ServiceCenter: {**{r: OWN_TOWN for r in TOWN_ROLES}},
    Department: {**{r: OWN_TOWN_AND_COUNTY for r in TOWN_ROLES}},
    Region: {**{r: ALL for r in TOWN_ROLES}},
    User: {
        **{r: NONE for r in TOWN_ROLES},
        Role.CENTER_DIRECTOR.value: OWN_TOWN,
        Role.COORDINATOR.value: OWN_TOWN,
        Role.SUPERVISOR.value: OWN_TOWN,
    },
    # The audit log: the director and the town's supervisor read their own town's chain only.
    AuditEvent: {
        **{r: NONE for r in TOWN_ROLES},
        Role.CENTER_DIRECTOR.value: OWN_TOWN,
        Role.SUPERVISOR.value: OWN_TOWN,
    },
}


def universe(world, model):
    """(object, town-or-None) pairs for every object of the model in the world."""
    towns = {"a": world.a, "b": world.b}
    if model is Window:
        return [(w, t) for t, town in towns.items() for w in town.windows]
    if model is ServiceCenter:
        return [(c, t) for t, town in towns.items() for c in [town.center, *town.stations]]
    if model is Department:
        return [(world.county_department, None)] + [(d, t) for t, town in towns.items() for d in town.departments]
    if model is Region:
        return [(world.county, None)] + [(r, t) for t, town in towns.items() for r in [town.region, *town.villages]]
    if model is User:
        return [(world.county_admin, None), (world.county_supervisor, None)] + [
            (u, t) for t, town in towns.items() for u in town.users.values()
        ]
    if model is AuditEvent:
        chains = {world.a.region.code: "a", world.b.region.code: "b"}
        return [(e, chains.get(e.chain)) for e in AuditEvent.objects.all()]
    raise AssertionError(model)


def expected_ids(world, model, rule, town):
    pairs = universe(world, model)
    if rule == ALL:
        return {obj.pk for obj, _ in pairs}
    if rule == NONE:
        return set()
    if rule == OWN_TOWN:
        return {obj.pk for obj, t in pairs if t == town}
    if rule == OWN_TOWN_AND_COUNTY:
        return {obj.pk for obj, t in pairs if t in (town, None)}
    raise AssertionError(rule)


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(EXPECTED), ids=lambda m: m.__name__)
@pytest.mark.parametrize("role", TOWN_ROLES)
@pytest.mark.parametrize("town", ["a", "b"])
def test_town_bound_roles_see_exactly_their_scope(world, model, role, town):
    actor = world.user(town, role)
    seen = set(model.objects.visible_to(actor).values_list("pk", flat=True))
    universe_ids = {obj.pk for obj, _ in universe(world, model)}
    assert seen & universe_ids == expected_ids(world, model, EXPECTED[model][role], town)


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(EXPECTED), ids=lambda m: m.__name__)
@pytest.mark.parametrize("who", ["county_admin", "county_supervisor"])
def test_county_roles_see_everything(world, model, who):
    actor = getattr(world, who)
    seen = set(model.objects.visible_to(actor).values_list("pk", flat=True))
    assert {obj.pk for obj, _ in universe(world, model)} <= seen


@pytest.mark.django_db
def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    clerk = world.user("a", Role.FRONT_CLERK)
    clerk.is_active = False
    for model in (Window, ServiceCenter, Department, User):
        assert not model.objects.visible_to(AnonymousUser()).exists()
        assert not model.objects.visible_to(clerk).exists()
        assert not model.objects.visible_to(None).exists()


@pytest.mark.django_db
def test_town_role_without_a_town_sees_nothing_rather_than_everything(world):
    clerk = world.user("a", Role.FRONT_CLERK)
    clerk.town_id = None  # a misconfigured account must fail closed
    assert not Window.objects.visible_to(clerk).exists()


@pytest.mark.django_db
def test_agent_is_bound_to_the_village_for_village_scoped_objects(world):
    """Village-scoped data (cases, from the cases context) use the same rule; here the rule itself."""
    from onewindow.core.scoping import ScopeRule, scope_of

    agent = world.user("a", Role.AGENT)
    rule = ScopeRule(town="town", village="village")
    condition = rule.condition(scope_of(agent))
    assert condition is not None
    assert ("village_id", world.a.villages[0].pk) in condition.children
    assert ("town_id", world.a.region.pk) in condition.children


@pytest.mark.django_db
def test_reviewer_is_bound_to_the_department_for_department_scoped_objects(world):
    from onewindow.core.scoping import ScopeRule, scope_of

    reviewer = world.user("a", Role.REVIEWER)
    condition = ScopeRule(town="town", department="department").condition(scope_of(reviewer))
    assert ("department_id", world.a.departments[0].pk) in condition.children


@pytest.mark.django_db
def test_the_world_has_objects_of_every_kind_in_both_towns(world):
    """Guards the matrix itself: an empty universe would make every expectation pass."""
    for model in EXPECTED:
        towns = {t for _, t in universe(world, model)}
        assert {"a", "b"} <= towns, model.__name__
