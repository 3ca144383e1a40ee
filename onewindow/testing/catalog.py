"""Guide specs and items for tests, built through the catalog services as real data would be."""

from dataclasses import replace

from onewindow.audit.services import SYSTEM
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.services import catalog_adopt, guide_publish, item_create
from onewindow.catalog.spec import FaqSpec, GuideSpec, MaterialSpec, StageSpec


def sample_spec(**overrides) -> GuideSpec:
    """A complete, valid 承诺件 guide routed to the town's 社会事务办 (code `social`, in build_world)."""
    spec = GuideSpec(
        name="最低生活保障申请",
        kind="05",
        source="delegated",
        delegation_mode="entrusted",
        source_department="market",
        implementing_body="嘉祥县民政局",
        accepting_unit="镇（街道）为民服务中心",
        handling_type="promised",
        legal_limit_days=30,
        promised_limit_days=15,
        conditions="共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定。",
        legal_basis="《社会救助暂行办法》第十一条",
        process_steps=["申请", "受理", "家庭经济状况调查", "民主评议", "审核", "审批", "公示", "办结"],
        result_name="最低生活保障证",
        place="镇（街道）为民服务中心综合受理窗口",
        hours="法定工作日 上午8:30-12:00，下午13:30-17:30",
        consult_phone="0537-6851234",
        complaint_phone="0537-12345",
        window_category="comprehensive",
        business_category="medical_insurance",
        keywords="低保, 低保申请",
        visits_needed=1,
        online_capable=True,
        proxy_capable=True,
        materials=[
            MaterialSpec(name="最低生活保障申请书", form="original", source="center"),
            MaterialSpec(name="户口簿", form="original_and_copy"),
            MaterialSpec(name="家庭收入证明", form="original", deficiency_allowed=True),
            MaterialSpec(name="残疾证", form="copy", required=False, note="家庭成员有残疾的提供"),
        ],
        stages=[
            StageSpec(name="入户调查", department_codes=["social"], limit_days=7),
            StageSpec(name="联合审核", department_codes=["social", "labour"], limit_days=5),
        ],
        faq=[FaqSpec(question="低保多久复核一次？", answer="一般每年复核一次。")],
    )
    return replace(spec, **overrides)


def make_item(
    code="370829-DB-001", *, spec=None, owner_town=None, publish=True, adopt_in=(), window=None, actor=SYSTEM
) -> ServiceItem:
    """An item, published unless told otherwise, adopted (and published) in the given towns."""
    item = item_create(actor=actor, code=code, spec=spec or sample_spec(), owner_town=owner_town)
    if publish:
        guide_publish(actor=actor, item=item)
        item.refresh_from_db()
    for town in adopt_in:
        catalog_adopt(actor=actor, town=town, item=item, window=window, publish=publish)
    return item
