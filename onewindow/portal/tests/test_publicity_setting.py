"""The 办理结果公示 setting of a guide: edited on the staff guide form and in the Excel template, survives an
export → import round trip, and tells the applicant on the public guide that results are published."""

from dataclasses import replace

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.audit.services import SYSTEM
from onewindow.catalog.services.guides import guide_publish, guide_save_draft
from onewindow.catalog.services.importing import catalog_export, catalog_import
from onewindow.catalog.spec import spec_from_guide
from onewindow.catalog.tests.excel_utils import edit, row_of, rows
from onewindow.catalog.tests.test_staff_item_pages import guide_post
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db
HEADER = "办理结果公示"


def test_the_staff_form_sets_and_clears_it_through_a_new_version(world):
    item = make_item(adopt_in=[world.a.region])
    admin = Client()
    admin.force_login(world.county_admin)
    edit_url = reverse("catalog:staff-item-edit", args=[item.code])
    assert 'name="results_public"' in admin.get(edit_url).content.decode()
    response = admin.post(edit_url, guide_post(sample_spec(results_public=True), change_note="结果公示", editing=True))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.current_guide.results_public is False  # the published version is never edited
    admin.post(reverse("catalog:staff-item-publish", args=[item.code]))
    item.refresh_from_db()
    assert (item.current_guide.version, item.current_guide.results_public) == (2, True)
    history = admin.get(reverse("catalog:staff-version", args=[item.code, 2])).content.decode()
    assert HEADER in history


def test_excel_carries_it_both_ways_and_a_round_trip_changes_nothing(world):
    public = make_item("PUB-001", spec=sample_spec(results_public=True))
    private = make_item("PRI-001")
    data = catalog_export(actor=world.county_admin)
    cells = {r["实施编码"]: r[HEADER] for r in rows(data, "事项")}
    assert cells == {"PUB-001": "是", "PRI-001": "否"}
    report = catalog_import(actor=world.county_admin, file=data)
    assert report.ok and report.items_unchanged == 2
    changed = edit(data, "事项", row_of(data, "事项", 实施编码="PRI-001"), HEADER, "是")
    changed = edit(changed, "事项", row_of(changed, "事项", 实施编码="PUB-001"), HEADER, None)  # blank = 否
    report = catalog_import(actor=world.county_admin, file=changed)
    assert report.ok and report.items_updated == 2
    public.refresh_from_db(), private.refresh_from_db()
    assert (public.current_guide.results_public, private.current_guide.results_public) == (False, True)
    bad = edit(data, "事项", 2, HEADER, "也许")
    assert not catalog_import(actor=world.county_admin, file=bad).ok


def test_the_public_guide_tells_the_applicant(world, client):
    item = make_item(spec=sample_spec(results_public=True), adopt_in=[world.a.region])
    url = reverse("catalog:public-guide", args=[world.a.region.code, item.code])
    notice = "办结后在本镇街结果公示栏公布"
    assert notice in client.get(url).content.decode()
    spec = replace(spec_from_guide(item.current_guide), results_public=False)
    guide_save_draft(actor=SYSTEM, item=item, spec=spec)
    guide_publish(actor=SYSTEM, item=item)
    assert notice not in client.get(url).content.decode()
