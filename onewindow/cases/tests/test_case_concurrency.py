"""Several clerks at once on PostgreSQL: case numbers never repeat; two decisions on one case, one wins."""

import pytest

from onewindow.cases.flow import Status
from onewindow.cases.models import Case
from onewindow.cases.services.acceptance import case_accept, case_reject
from onewindow.core.errors import DomainError
from onewindow.org.models import User
from onewindow.org.services import save_staff
from onewindow.testing.cases import offered_item, receive
from onewindow.testing.concurrency import run_together
from onewindow.testing.world import PASSWORD

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

CLERKS = 6
EACH = 5


def test_concurrent_intake_never_repeats_a_number(world, clock):
    item = offered_item(world)
    clerks = [
        save_staff(
            actor=world.county_admin,
            password=PASSWORD,
            user=User(username=f"clerk{n}", name=f"窗口{n}", role="front_clerk", town=world.a.region),
        )
        for n in range(CLERKS)
    ]

    def intake_many(clerk):
        return lambda: [receive(world, item, actor=clerk).number for _ in range(EACH)]

    results, errors = run_together([intake_many(c) for c in clerks])
    assert errors == []
    numbers = [n for batch in results for n in batch]
    assert len(numbers) == len(set(numbers)) == CLERKS * EACH
    assert sorted(int(n[-4:]) for n in numbers) == list(range(1, CLERKS * EACH + 1))


def test_two_clerks_deciding_one_case_one_wins(world, clock):
    case = receive(world, offered_item(world))
    colleague = save_staff(
        actor=world.county_admin,
        password=PASSWORD,
        user=User(username="clerk2", name="窗口2", role="front_clerk", town=world.a.region),
    )
    results, errors = run_together(
        [
            lambda: case_accept(actor=world.user("a", "front_clerk"), case=case),
            lambda: case_reject(actor=colleague, case=case, reason="不属于受理范围"),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], DomainError) and errors[0].code == "case.illegal_transition"
    case = Case.objects.get(pk=case.pk)
    assert case.status in (Status.IN_REVIEW, Status.REJECTED)
    assert case.steps.filter(step_code__in=[3, 5]).count() == 1
