"""网上预审: the front desk's queue of online submissions — scoped to the town, resubmissions flagged, the
citizen's wait on corrections shown, keyset-paginated in a fixed number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases.models import Case, Channel
from onewindow.cases.selectors import prereview_counts, prereview_queue
from onewindow.cases.services.acceptance import case_accept, case_request_correction, case_supplement
from onewindow.cases.services.attachments import attachment_add
from onewindow.cases.services.intake import case_intake
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.testing.cases import ALL_REQUIRED, PERSON, receive
from onewindow.testing.catalog import make_item

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def online(world, item, town="a", **kwargs):
    """An application as the portal files it: channel online, status submitted. Received through the front-desk
    service and relabelled, so these tests do not depend on the portal's own submit path."""
    case = case_intake(
        actor=world.user(town, "front_clerk"),
        item=item,
        town=getattr(world, town).region,
        applicant=PERSON,
        channel=Channel.WINDOW,
        materials=kwargs.get("materials", ALL_REQUIRED),
    )
    Case.objects.filter(pk=case.pk).update(channel=Channel.ONLINE)
    case.refresh_from_db()
    return case


@pytest.fixture
def item(world):
    return make_item(adopt_in=[world.a.region, world.b.region])  # sample_spec: 最低生活保障申请


def numbers(page):
    return [row["number"] for row in page.rows]


def test_the_queue_holds_the_towns_online_submissions_only(world, clock, item):
    # given: two online submissions in town A, a walk-in, an accepted online case, and one online case in town B
    first, second = online(world, item), online(world, item)
    receive(world, item)
    case_accept(actor=world.user("a", "front_clerk"), case=online(world, item))
    in_b = online(world, item, town="b")
    # then
    for role in ("front_clerk", "center_director", "consult_clerk"):
        assert numbers(prereview_queue(world.user("a", role), "submitted")) == [first.number, second.number]
    assert numbers(prereview_queue(world.user("b", "front_clerk"), "submitted")) == [in_b.number]
    county = prereview_queue(world.county_admin, "submitted").rows
    assert {r["number"] for r in county} == {first.number, second.number, in_b.number}
    assert {r["town__name"] for r in county} == {world.a.region.name, world.b.region.name}
    assert prereview_counts(world.user("a", "front_clerk")) == {"submitted": 2, "correction": 0}
    assert all(r["applicant_masked"] == "张**" and not r["resubmitted"] for r in county)


@pytest.mark.parametrize("role", ["reviewer", "output_clerk", "coordinator", "agent", "supervisor", "device"])
def test_other_roles_are_refused(world, clock, item, role):
    online(world, item)
    with pytest.raises(Forbidden):
        prereview_queue(world.user("a", role), "submitted")
    with pytest.raises(Forbidden):
        prereview_counts(world.user("a", role))


def test_a_resubmission_is_flagged_and_waits_from_its_return(world, clock, item):
    clerk = world.user("a", "front_clerk")
    early = online(world, item)  # day 1
    corrected = online(world, item, materials={1: "received", 2: "received"})  # day 1, 家庭收入证明 missing
    case_request_correction(actor=clerk, case=corrected, problems={3: "请上传近6个月收入证明"})
    clock.advance(1)
    later = online(world, item)  # day 2
    assert numbers(prereview_queue(clerk, "submitted")) == [early.number, later.number]
    assert numbers(prereview_queue(clerk, "correction")) == [corrected.number]
    clock.advance(1)
    case_supplement(actor=clerk, case=corrected, received=[3])  # day 3 (the portal lets the citizen do this)
    # then: back in the pre-review tab, after the ones that waited longer, flagged
    page = prereview_queue(clerk, "submitted")
    assert numbers(page) == [early.number, later.number, corrected.number]
    flags = {r["number"]: r["resubmitted"] for r in page.rows}
    assert flags == {early.number: False, later.number: False, corrected.number: True}
    assert page.rows[2]["since"].date() == clock.day and page.rows[0]["waiting_days"] == 2
    assert prereview_queue(clerk, "correction").rows == []


def test_the_correction_tab_says_how_long_the_citizen_has_had(world, clock, item):
    clerk = world.user("a", "front_clerk")
    case = online(world, item, materials={1: "received"})
    clock.advance(1)
    case_request_correction(actor=clerk, case=case)
    clock.advance(3)
    [row] = prereview_queue(clerk, "correction").rows
    assert row["number"] == case.number and row["waiting_days"] == 3
    assert prereview_counts(clerk) == {"submitted": 0, "correction": 1}


def test_pages_walk_every_row_once_in_one_query_each(world, clock, item, django_assert_num_queries):
    clerk = world.user("a", "front_clerk")
    made = [online(world, item) for _ in range(5)]
    seen, cursor = [], None
    while True:
        with django_assert_num_queries(1):
            page = prereview_queue(clerk, "submitted", cursor=cursor, size=2)
        seen += numbers(page)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [c.number for c in made]
    with django_assert_num_queries(1):
        prereview_counts(clerk)
    with pytest.raises(ValidationFailed):
        prereview_queue(clerk, "submitted", cursor="garbage")
    with pytest.raises(ValidationFailed):
        prereview_queue(clerk, "everything")


def test_the_page_costs_the_same_queries_however_long_the_queue(world, clock, item, client, django_assert_num_queries):
    client.force_login(world.user("a", "front_clerk"))
    online(world, item)
    url = reverse("cases:prereview")
    client.get(url)  # warm the calendar snapshot and the session
    with django_assert_num_queries(5) as short:  # session, user, the rows, the tab counts, the header's town
        client.get(url)
    for _ in range(6):
        online(world, item)
    with django_assert_num_queries(len(short.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("cs-code") == 7


def test_the_page_links_each_case_and_flags_resubmissions(world, clock, item, client):
    clerk = world.user("a", "front_clerk")
    case = online(world, item, materials={1: "received", 2: "received"})
    case_request_correction(actor=clerk, case=case)
    client.force_login(clerk)
    page = client.get(reverse("cases:prereview"), {"tab": "correction"}).content.decode()
    assert reverse("cases:detail", args=[case.number]) in page and "待群众补正（1）" in page
    case_supplement(actor=clerk, case=case, received=[3])
    page = client.get(reverse("cases:prereview")).content.decode()
    assert "补正后重新提交" in page and "待预审（1）" in page and "张**" in page
    assert "张桂英" not in page


def test_other_roles_get_403_and_strangers_the_login(world, clock, item, client):
    online(world, item)
    url = reverse("cases:prereview")
    assert client.get(url).status_code == 302
    client.force_login(world.user("a", "reviewer"))
    response = client.get(url)
    assert response.status_code == 403 and "无权访问" in response.content.decode()


def test_the_case_page_shows_the_uploads_against_the_checklist(world, clock, item, client, settings, tmp_path):
    settings.ONEWINDOW_PRIVATE_DIR = tmp_path / "private"
    clerk = world.user("a", "front_clerk")
    case = online(world, item)
    upload = SimpleUploadedFile("收入证明.pdf", PDF, content_type="application/pdf")
    attachment = attachment_add(actor=clerk, case=case, upload=upload, material_position=3)
    client.force_login(clerk)
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    materials = page[page.index('id="materials"') : page.index("</table>", page.index('id="materials"'))]
    row = materials[materials.index("家庭收入证明") :]
    row = row[: row.index("</tr>")]
    assert "收入证明.pdf" in row and reverse("cases:attachment", args=[case.number, attachment.pk]) in row
    assert "收入证明.pdf" not in materials[: materials.index("家庭收入证明")]


def test_the_home_tile_counts_what_waits(world, clock, item, client):
    online(world, item)
    online(world, item)
    client.force_login(world.user("a", "front_clerk"))
    assert "网上预审（2件待预审）" in client.get("/").content.decode()
    client.force_login(world.user("b", "center_director"))
    home = client.get("/").content.decode()
    assert "网上预审" in home and "待预审" not in home
    client.force_login(world.user("a", "reviewer"))
    assert "网上预审" not in client.get("/").content.decode()
