"""Demo catalog, high-frequency windows: 退役军人优抚、低保五保 (see demo_catalog.py)."""

from onewindow.catalog.demo_catalog import (
    BANK_CARD,
    ECONOMIC_CHECK,
    FAQ_PROXY,
    HOUSEHOLD_BOOK,
    ID_CARD,
    STEPS_PUBLICIZED,
)

_VETERANS = {
    "business_category": "veterans",
    "source": "delegated",
    "delegation_mode": "entrusted",
    "source_department": "veterans",
    "implementing_body": "嘉祥县退役军人事务局",
}
# Shandong devolved the 低保 / 特困 / 临时救助 decisions to the towns (审核确认权下放).
_ASSISTANCE = {
    "business_category": "social_assistance",
    "source": "delegated",
    "delegation_mode": "review_devolved",
    "source_department": "civil_affairs",
    "implementing_body": "镇人民政府（街道办事处）",
    "kind": "05",
    "handling_type": "promised",
    "online_capable": True,
    "proxy_capable": True,
    "process_steps": STEPS_PUBLICIZED,
    # 社会救助 results are published by policy (《社会救助暂行办法》: 低保、特困 recipients are announced).
    "results_public": True,
}
_PUBLICITY = ("村（社区）公示", 7, False, "公示期7天，不计入办结时限；公示有异议的重新调查")

ITEMS = [
    {
        **_VETERANS,
        "code": "11370829MB285305752000301001",
        "name": "退役军人优待证申领",
        "kind": "20",
        "handling_type": "promised",
        "legal_limit_days": 30,
        "promised_limit_days": 10,
        "conditions": "户籍在本县的退役军人及烈士遗属、因公牺牲军人遗属、病故军人遗属。",
        "legal_basis": "《中华人民共和国退役军人保障法》第六十二条；《退役军人、其他优抚对象优待证管理办法（试行）》",
        "result_name": "中华人民共和国退役军人优待证",
        "keywords": "优待证, 军人优待证, 退役军人证",
        "online_capable": True,
        "proxy_capable": True,
        "materials": [
            ID_CARD,
            {
                "name": "退伍证或退役证明",
                "form": "original_and_copy",
                "deficiency_allowed": True,
                "note": "遗失的可容缺受理，由退役军人服务站内部核查档案",
            },
            {"name": "近期2寸白底免冠证件照", "form": "electronic"},
            {"name": "优待证申领登记表", "form": "original", "source": "center"},
        ],
        "special_procedures": [("省退役军人事务厅统一制证", 20, False, "制证时间不计入办结时限，制成后短信通知领取")],
        "stages": [("信息核对与审核录入", ["veterans"], 5)],
    },
    {
        **_VETERANS,
        "code": "11370829MB285305750500302001",
        "name": "优抚对象抚恤补助",
        "kind": "05",
        "handling_type": "promised",
        "legal_limit_days": 30,
        "promised_limit_days": 20,
        "conditions": "残疾军人、烈属、在乡老复员军人、带病回乡退伍军人、参战参试退役人员等符合条件的重点优抚对象。",
        "legal_basis": "《军人抚恤优待条例》第三十条至第三十四条；《山东省军人抚恤优待办法》",
        "result_name": "定期抚恤金、定期生活补助（按月发放）",
        "keywords": "退役军人, 抚恤金, 定期抚恤, 生活补助, 优抚",
        "proxy_capable": True,
        "process_steps": ["申请", "窗口受理", "入户核查", "公示", "联合审核", "县退役军人事务局审批", "按月发放"],
        "materials": [
            ID_CARD,
            HOUSEHOLD_BOOK,
            {"name": "优抚对象身份证明（残疾军人证、烈士证明书等）", "form": "original_and_copy"},
            BANK_CARD,
            {"name": "优抚对象抚恤补助申请表", "form": "original", "source": "center"},
        ],
        "special_procedures": [_PUBLICITY],
        "stages": [("入户核查", ["veterans"], 7), ("联合审核（退役军人服务站、财政所）", ["veterans", "finance"], 5)],
        "faq": [FAQ_PROXY],
    },
    {
        **_VETERANS,
        "code": "11370829MB285305752000303001",
        "name": "退役军人信息采集",
        "kind": "20",
        "handling_type": "instant",
        "legal_limit_days": 0,
        "promised_limit_days": 0,
        "conditions": "户籍在本县的退役军人、其他优抚对象，及户籍迁入本县尚未采集信息的人员。",
        "legal_basis": "《中华人民共和国退役军人保障法》第十五条",
        "result_name": "退役军人信息采集登记",
        "keywords": "建档立卡, 悬挂光荣牌",
        "proxy_capable": True,
        "materials": [
            ID_CARD,
            {"name": "退伍证或退役证明", "form": "copy"},
            {"name": "信息采集表", "form": "original", "source": "center"},
        ],
    },
    {
        **_VETERANS,
        "code": "11370829MB285305750500304001",
        "name": "义务兵家庭优待金发放",
        "kind": "05",
        "handling_type": "promised",
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "conditions": "从本县应征入伍的义务兵家庭（含直招士官在义务兵服役期间）。",
        "legal_basis": "《军人抚恤优待条例》第三十六条；《山东省军人抚恤优待办法》",
        "result_name": "义务兵家庭优待金",
        "keywords": "优待金, 义务兵, 当兵补贴, 参军",
        "proxy_capable": True,
        "materials": [
            {"name": "义务兵父母或配偶居民身份证", "form": "original_and_copy"},
            HOUSEHOLD_BOOK,
            {"name": "入伍通知书或入伍批准书", "form": "copy"},
            BANK_CARD,
        ],
        "stages": [
            ("资格审核", ["veterans"], 3),
            ("联合审核拨付（退役军人服务站、财政所）", ["veterans", "finance"], 5),
        ],
    },
    {
        **_ASSISTANCE,
        "code": "11370829004349184P0500401001",
        "name": "最低生活保障申请",
        "legal_limit_days": 30,
        "promised_limit_days": 20,
        "conditions": (
            "共同生活的家庭成员人均收入低于嘉祥县最低生活保障标准，且家庭财产状况符合规定的本县户籍居民家庭。"
        ),
        "legal_basis": "《社会救助暂行办法》第九条至第十三条；《山东省社会救助办法》；《山东省最低生活保障工作规程》",
        "result_name": "最低生活保障审核确认决定，按月发放低保金",
        "keywords": "低保, 低保申请, 最低生活保障, 社会救助",
        "materials": [
            {"name": "最低生活保障申请书", "form": "original", "source": "center"},
            {"name": "家庭成员居民身份证", "form": "original_and_copy"},
            HOUSEHOLD_BOOK,
            ECONOMIC_CHECK,
            {
                "name": "家庭成员收入证明",
                "form": "original",
                "deficiency_allowed": True,
                "note": "可容缺受理，入户调查时补交",
            },
            {
                "name": "残疾证、病历等特殊情况证明",
                "form": "copy",
                "required": False,
                "note": "家庭成员有残疾或重病的提供",
            },
            BANK_CARD,
        ],
        "special_procedures": [("民主评议", 3, True, "村（社区）组织，计入办结时限"), _PUBLICITY],
        "stages": [("家庭经济状况调查（入户调查）", ["social_affairs"], 10), ("审核确认", ["social_affairs"], 5)],
        "faq": [
            ("低保多久复核一次？", "低保家庭一般每年复核一次；收入、人口等情况变化的应及时告知社会事务办。"),
            ("低保标准是多少？", "以嘉祥县民政局当年公布的城乡低保标准为准，可拨打咨询电话询问。"),
            FAQ_PROXY,
        ],
    },
    {
        **_ASSISTANCE,
        "code": "11370829004349184P0500402001",
        "name": "特困人员救助供养",
        "legal_limit_days": 30,
        "promised_limit_days": 20,
        "conditions": (
            "无劳动能力、无生活来源，且无法定赡养抚养扶养义务人或其义务人无履行能力的老年人、"
            "残疾人及未满18周岁的未成年人。"
        ),
        "legal_basis": (
            "《社会救助暂行办法》第十四条至第二十条；"
            "《国务院关于进一步健全特困人员救助供养制度的意见》（国发〔2016〕14号）"
        ),
        "result_name": "特困人员救助供养审核确认决定（分散供养或集中供养）",
        "keywords": "五保, 五保户, 特困供养, 特困人员, 敬老院",
        "materials": [
            {"name": "特困人员救助供养申请书", "form": "original", "source": "center"},
            ID_CARD,
            HOUSEHOLD_BOOK,
            ECONOMIC_CHECK,
            {"name": "残疾证", "form": "copy", "required": False, "note": "残疾人申请的提供"},
        ],
        "special_procedures": [("生活自理能力评估", 5, True, "确定全自理、半护理或全护理档次"), _PUBLICITY],
        "stages": [("入户调查核实", ["social_affairs"], 10), ("审核确认", ["social_affairs"], 5)],
        "faq": [("可以到敬老院集中供养吗？", "生活不能自理的优先安排集中供养，本人也可选择在家分散供养。"), FAQ_PROXY],
    },
    {
        **_ASSISTANCE,
        "code": "11370829004349184P0500403001",
        "name": "临时救助",
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "conditions": (
            "因火灾、交通事故、突发重大疾病等意外事件，或生活必需支出突然增加，"
            "导致基本生活暂时出现严重困难的家庭或个人。"
        ),
        "legal_basis": (
            "《社会救助暂行办法》第四十七条至第五十条；《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）"
        ),
        "result_name": "临时救助金或实物",
        "keywords": "急难救助, 救急难, 临时困难",
        "materials": [
            {"name": "临时救助申请书", "form": "original", "source": "center"},
            ID_CARD,
            HOUSEHOLD_BOOK,
            {
                "name": "遭遇困难的证明材料（医疗票据、事故证明等）",
                "form": "copy",
                "deficiency_allowed": True,
                "note": "情况紧急的可容缺，先行救助后补齐",
            },
            BANK_CARD,
        ],
        "special_procedures": [("公示", 7, False, "急难型救助可先行救助后补充公示，不计入办结时限")],
        "stages": [("调查核实", ["social_affairs"], 5), ("审批", ["social_affairs"], 3)],
    },
]
