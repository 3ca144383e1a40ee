"""The demo cases (manage.py demo): one story per case, told through the case services.

A story names a published demo item and its acts; each act happens a number of working days before the demo's
"today" (0 = today). Actors: `front` (前台受理员, else the director), `output` (出件窗口, else the director),
`coordinator` (专职协调人员, else the director), `director`, `agent` (村级代办员), `reviewer:<department code>`,
`system` (the deadline sweep). A story runs only in towns that have every actor it needs: the fully staffed demo
towns get the whole spread, the others (a director only) every case the director can take on alone.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Act:
    days_ago: int
    action: str
    by: str = "front"
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    key: str  # unique among the stories: part of the case's idempotency key, so a second load adds nothing
    item: str  # the item's name in the published catalog
    acts: tuple[Act, ...]
    born: int = 1962  # the applicant's year of birth (80+ for 高龄津贴)


DIBAO, LINSHI, TEKUN = "最低生活保障申请", "临时救助", "特困人员救助供养"
SOCIAL = "reviewer:social_affairs"

STORIES = [
    # 待受理: received at the window this morning, waiting for the acceptance decision.
    Story("submitted", "80周岁以上老年人高龄津贴", (Act(0, "intake"),), born=1944),
    # 村级代办: an agent brought the application in from the village yesterday.
    Story("agent", "困难残疾人生活补贴", (Act(1, "intake", "agent", {"channel": "agent"}),)),
    # 待补正: one-time notice (一次性告知书) listing the faulty material.
    Story("correction", "重度残疾人护理补贴", (Act(2, "intake", options={"missing": True}), Act(2, "correct"))),
    # 审批中, green / yellow (one working day left) / red (two days overdue).
    Story("review_green", DIBAO, (Act(3, "intake"), Act(3, "accept"))),
    Story("review_yellow", LINSHI, (Act(9, "intake"), Act(9, "accept"))),
    Story("review_red", LINSHI, (Act(12, "intake"), Act(12, "accept"))),
    # 特别程序: suspended for the village 公示; the clock stands still.
    Story("suspended", DIBAO, (Act(8, "intake"), Act(8, "accept"), Act(2, "suspend", "director"))),
    # 容缺受理: the income certificate is still to come, due in six working days; review runs meanwhile.
    Story(
        "deficiency",
        DIBAO,
        (Act(2, "intake", options={"deficient": True}), Act(2, "accept_deficient", options={"due": 8})),
    ),
    # 延期: the director extended a case that was about to run out.
    Story(
        "extended",
        DIBAO,
        (Act(19, "intake"), Act(19, "accept"), Act(1, "extend", "director", {"days": 5})),
    ),
    # 即办件: accepted, decided and handed over in one visit.
    Story("instant", "社会保障卡申领", (Act(1, "intake"), Act(1, "instant"))),
    # 不予受理, 撤回, 撤销, 终止 (容缺 material not brought by its due date).
    Story("rejected", "户口迁移", (Act(4, "intake"), Act(4, "reject"))),
    Story("withdrawn", TEKUN, (Act(3, "intake"), Act(1, "withdraw"))),
    Story("revoked", LINSHI, (Act(6, "intake"), Act(6, "accept"), Act(2, "revoke"))),
    Story(
        "terminated",
        LINSHI,
        (
            Act(11, "intake", options={"deficient": True}),
            Act(11, "accept_deficient", options={"due": 3}),
            Act(7, "terminate", "system"),
        ),
    ),
    # --- with the towns' reviewers (fully staffed towns) ---
    # 联办: the joint stage is half approved (社会事务办 agreed, 医保工作站 still pending).
    Story("joint_half", "医疗救助申请", (Act(4, "intake"), Act(4, "accept"), Act(2, "approve", SOCIAL))),
    # 退回前台 with the reviewer's reason.
    Story("returned", LINSHI, (Act(5, "intake"), Act(5, "accept"), Act(1, "return", SOCIAL))),
    # 已办结待出件.
    Story(
        "decided",
        LINSHI,
        (
            Act(8, "intake"),
            Act(8, "accept"),
            Act(6, "approve", SOCIAL),
            Act(4, "approve", SOCIAL),
            Act(1, "decide", "coordinator"),
        ),
    ),
    # 办结不予 (denied by the department), waiting to hand out the decision.
    Story("denied", TEKUN, (Act(6, "intake"), Act(6, "accept"), Act(2, "deny", SOCIAL))),
    # Decided, but the 容缺 material is still outstanding: the output window may not hand the result over yet.
    Story(
        "decided_deficient",
        LINSHI,
        (
            Act(7, "intake", options={"deficient": True}),
            Act(7, "accept_deficient", options={"due": 9}),
            Act(5, "approve", SOCIAL),
            Act(3, "approve", SOCIAL),
            Act(1, "decide", "coordinator"),
        ),
    ),
    # The whole walk: 容缺受理, review, 公示 (suspended and resumed), decision, material brought, handed out.
    Story(
        "delivered",
        DIBAO,
        (
            Act(16, "intake", options={"deficient": True}),
            Act(16, "accept_deficient", options={"due": 14}),
            Act(14, "approve", SOCIAL),
            Act(13, "suspend", SOCIAL),
            Act(8, "resume", SOCIAL),
            Act(6, "approve", SOCIAL),
            Act(5, "decide", "coordinator"),
            Act(3, "receive_deficient", "output"),
            Act(2, "deliver", "output"),
        ),
    ),
]

# Applicants: plausible names; ID numbers, phones and addresses are generated (valid, and fictitious).
NAMES = [
    "王秀英", "李桂兰", "张建国", "刘玉珍", "陈志强", "杨淑芬", "赵德明", "黄秀兰", "周桂芳", "吴永胜",
    "徐凤英", "孙海涛", "马春梅", "朱立新", "胡玉兰", "郭长青", "何秀珍", "高建华", "林翠英", "罗振国",
    "郑桂荣", "梁德胜", "宋玉梅", "谢宝山", "韩秀云", "唐国庆", "冯淑珍", "于洪涛", "董桂香", "曹金山",
]  # fmt: skip

REASONS = {
    "correct": "户口簿复印件不清晰，请携带原件补正",
    "reject": "申请迁入地址不在本镇街辖区，应向迁入地派出所户籍室申请",
    "withdraw": "申请人家庭收入已有变化，主动撤回申请",
    "revoke": "申请人书面申请撤销本次申请",
    "return": "家庭收入证明与银行流水不一致，请核实后重新报送",
    "deny": "经入户调查，申请人家庭财产状况不符合特困供养条件",
    "extend": "需补充调查家庭成员赡养能力",
    "suspend": "申请对象在村（社区）公示7日",
    "resume": "公示期满无异议",
}
