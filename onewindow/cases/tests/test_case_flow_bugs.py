"""Regressions for bugs the property test (test_case_flow_properties.py) found in the services."""

import pytest

from onewindow.cases.flow import Status
from onewindow.cases.services.suspension import case_extend
from onewindow.core.errors import Conflict
from onewindow.testing.cases import offered_item, receive

pytestmark = pytest.mark.django_db


def test_extending_a_case_that_was_never_accepted_is_refused_as_an_illegal_transition(world, clock):
    # case_extend computed the new deadline before the flow check: with no deadline yet it crashed (TypeError → 500).
    case = receive(world, offered_item(world))
    with pytest.raises(Conflict) as caught:
        case_extend(actor=world.user("a", "center_director"), case=case, days=1, reason="补充调查")
    assert caught.value.code == "case.illegal_transition"
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.deadline is None and case.extended_days == 0
