"""Two staff at once on PostgreSQL: adopting the same item twice is a Conflict, never a 500; publishing
an entry while a new guide is published never leaves a town publishing a route it cannot handle."""

import threading
import time

import pytest
from django.db import connection, transaction

from onewindow.audit.services import SYSTEM
from onewindow.catalog.models import CatalogEntry
from onewindow.catalog.routing import missing_departments
from onewindow.catalog.services import catalog_adopt, catalog_entry_update, guide_publish, guide_save_draft
from onewindow.catalog.spec import StageSpec
from onewindow.core.errors import DomainError
from onewindow.org.models import Department
from onewindow.org.services import save_department
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

HOLD = 0.3  # each writer keeps its transaction open this long, so the two overlap


def run_together(targets) -> list[str]:
    """Runs each target in its own transaction, all released at once; 'ok' or the error's code for each."""
    start = threading.Barrier(len(targets))
    results: list[str] = []

    def wrap(target):
        def run():
            try:
                with transaction.atomic():
                    start.wait()
                    target()
                    time.sleep(HOLD)
                results.append("ok")
            except DomainError as exc:
                results.append(exc.code)
            except Exception as exc:  # an IntegrityError here is the bug this file is about
                results.append(type(exc).__name__)
            finally:
                connection.close()

        return threading.Thread(target=run)

    threads = [wrap(t) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("publish", [False, True])
def test_two_directors_adopting_the_same_item_at_once_get_ok_and_a_conflict(world, publish):
    item = make_item("RACE-1")
    town = world.a.region

    def adopt():
        catalog_adopt(actor=SYSTEM, town=town, item=item, publish=publish)

    assert sorted(run_together([adopt, adopt])) == ["catalog.duplicate", "ok"]
    assert CatalogEntry.objects.filter(town=town, item=item).count() == 1


def test_publishing_an_entry_and_a_new_route_at_once_never_strands_the_town(world):
    # given: the item is adopted (unpublished) in town B; its next version needs `health`, which B lacks
    save_department(
        actor=SYSTEM, department=Department(code="health", name="卫生健康办", kind="town", town=world.a.region)
    )
    item = make_item("RACE-2")
    entry = catalog_adopt(actor=SYSTEM, town=world.b.region, item=item)
    stages = [*sample_spec().stages, StageSpec(name="卫健审核", department_codes=["health"], limit_days=2)]
    guide_save_draft(actor=SYSTEM, item=item, spec=sample_spec(stages=stages))

    # when: the director publishes the entry while the county admin publishes the new version
    results = run_together(
        [
            lambda: catalog_entry_update(actor=SYSTEM, entry=entry, is_published=True),
            lambda: guide_publish(actor=SYSTEM, item=item),
        ]
    )

    # then: one of them is refused, whichever came second, and what is public resolves in B
    assert sorted(results) in (["catalog.route_unresolved", "ok"], ["guide.route_unresolved", "ok"]), results
    entry.refresh_from_db()
    item.refresh_from_db()
    if entry.is_published:
        assert missing_departments(item.current_guide, world.b.region) == []
