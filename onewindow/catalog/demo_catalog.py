"""The 嘉祥县 demo catalog: shared guide elements and the town-own (特色) items.

Pure data, in GuideSpec's own field names, so `services/demo.py` can hand each item to
`GuideSpec.from_dict` after filling in the defaults below. The county-wide items live in
`demo_catalog_insurance.py` (医保、社保), `demo_catalog_welfare.py` (退役军人、低保五保),
`demo_catalog_affairs.py` (民政、卫健、残联、农业农村、住建、党建) and `demo_catalog_services.py`
(市场监管、税务、户籍、水电缴费、有线电视).

Item names follow 山东政务服务网; implementation codes have the national layout
(实施机构统一社会信用代码 18 位 + 事项类型 2 位 + 主项 5 位 + 子项 3 位). The credit codes are made up for
the demo. Materials are MaterialSpec dicts; stages are (name, department codes, days); special
procedures (name, days, counted in the limit?, note); FAQ (question, answer).
"""

# Filled into every item unless it says otherwise.
COMMON = {
    "accepting_unit": "镇（街道）为民服务中心",
    "hours": "法定工作日 上午8:30—12:00，下午13:30—17:30（夏季作息时间下午14:00—18:00）",
    "complaint_phone": "0537-12345",
    "exercise_levels": ["town"],
    "visits_needed": 1,
}

# Where an item is handled, by business category (the demo towns' windows, org/demo_data.py WINDOWS).
PLACES = {
    "medical_insurance": "各镇（街道）为民服务中心1号窗口（医保业务）",
    "social_security": "各镇（街道）为民服务中心2号窗口（社保业务）",
    "veterans": "各镇（街道）为民服务中心3号窗口（退役军人优抚）",
    "social_assistance": "各镇（街道）为民服务中心4号窗口（低保五保）",
    "comprehensive": "各镇（街道）为民服务中心5号窗口（综合受理）",
    "public_utility": "各镇（街道）为民服务中心5号窗口（综合受理）",
    "market": "各镇（街道）为民服务中心6号窗口（市场监管·税务·户籍）",
    "tax": "各镇（街道）为民服务中心6号窗口（市场监管·税务·户籍）",
    "household": "各镇（街道）为民服务中心6号窗口（市场监管·税务·户籍）",
}

# Business categories received at high-frequency windows (the rest go to comprehensive windows).
HIGH_FREQUENCY_CATEGORIES = {"medical_insurance", "social_security", "veterans", "social_assistance"}

# Consultation phone of the department an item comes from (county business line).
PHONES = {
    "medical_insurance": "0537-6852316",
    "hrss": "0537-6851562",
    "civil_affairs": "0537-6852073",
    "veterans": "0537-6859326",
    "health": "0537-6852601",
    "disabled": "0537-6853817",
    "agriculture": "0537-6852417",
    "natural_resources": "0537-6852230",
    "housing": "0537-6852135",
    "organization": "0537-6852055",
    "market": "0537-6861315",
    "approval": "0537-6861009",
    "tax": "0537-6852912",
    "police": "0537-6852486",
    "water": "0537-6852766",
    "power_supply": "0537-95598",
    "cable_tv": "0537-96150",
}

# 统一社会信用代码 of the implementing bodies (made up for the demo, right shape).
CREDIT_CODES = {
    "medical_insurance": "11370829MB2853140Q",
    "hrss": "113708290043491752",
    "civil_affairs": "11370829004349184P",
    "veterans": "11370829MB28530575",
    "health": "113708290043493029",
    "disabled": "133708290043495690",
    "agriculture": "11370829004349237D",
    "housing": "113708290043492108",
    "organization": "113708290043490188",
    "market": "11370829MB2852873F",
    "approval": "11370829MB28516634",
    "tax": "11370829MB1504221L",
    "police": "113708290043489327",
    "water": "11370829MB2853001R",
    "power_supply": "91370829863162518K",
    "cable_tv": "91370829MA3C5P2Y1H",
    "jiaxiang_street": "113708290043485220",
}

STEPS_INSTANT = ["申请人到窗口提交材料（或由村级代办员代办）", "窗口审核材料", "当场办结，出具办理结果"]
STEPS_PROMISED = [
    "申请人提交材料",
    "窗口受理（材料齐全当场受理，不全一次性告知）",
    "后台审核",
    "作出决定",
    "统一出件窗口送达结果",
]
# Items with visits_needed 0 (零跑腿): applied for online, so the steps must not send anyone to a window.
STEPS_ONLINE = [
    "网上申请：通过“爱山东”App或山东政务服务网提交（不便网上办理的，可到窗口或请村级代办员代办）",
    "工作人员在线审核",
    "办结，结果在网上查询或电子送达",
]
STEPS_PAYMENT = [
    "通过“爱山东”App、微信、支付宝或银行网点自助缴纳（也可到窗口缴纳）",
    "系统实时确认到账",
    "生成电子缴费凭证，可随时查询下载",
]
STEPS_PUBLICIZED = [
    "申请人向为民服务中心窗口提出申请（可由村级代办员代办）",
    "窗口受理并录入系统",
    "入户调查、家庭经济状况核对",
    "民主评议并在村（社区）公示",
    "审核确认",
    "结果公布，统一出件窗口送达",
]

# Materials many items ask for.
ID_CARD = {"name": "申请人居民身份证", "form": "original", "note": "窗口核验后当场退还"}
HOUSEHOLD_BOOK = {"name": "户口簿", "form": "original_and_copy", "note": "首页及本人页"}
BANK_CARD = {
    "name": "本人银行卡或社会保障卡（金融账户已激活）",
    "form": "copy",
    "deficiency_allowed": True,
    "note": "可容缺受理，办结前补交",
}
PROXY_LETTER = {
    "name": "委托书及受托人身份证",
    "form": "original",
    "required": False,
    "note": "委托他人或村级代办员代办的提供",
}
ECONOMIC_CHECK = {
    "name": "家庭经济状况核对授权书",
    "form": "original",
    "source": "center",
    "note": "共同生活的家庭成员签字，窗口提供格式文本",
}

FAQ_PROXY = (
    "行动不便的老人能让别人代办吗？",
    "可以。由家属持委托书办理，或联系所在村（社区）便民服务站的代办员免费帮办代办。",
)

# Town-own (特色) items: (town code, item data). Only 嘉祥街道 has them in the demo.
TOWN_ITEMS = [
    (
        "370829001000",
        {
            "code": "1137082900434852202000001001",
            "name": "长者助餐服务申请",
            "kind": "20",
            "source": "own",
            "source_department": "civil_affairs",
            "implementing_body": "嘉祥县人民政府嘉祥街道办事处",
            "accepting_unit": "嘉祥街道为民服务中心",
            "place": "嘉祥街道为民服务中心5号窗口（综合受理）",
            "consult_phone": "0537-6851234",
            "business_category": "comprehensive",
            "handling_type": "promised",
            "legal_limit_days": 5,
            "promised_limit_days": 3,
            "conditions": "户籍或常住在嘉祥街道、年满60周岁的老年人；80周岁以上、失能、独居及低保老人优先安排。",
            "legal_basis": "《中华人民共和国老年人权益保障法》第三十七条；《山东省养老服务条例》第二十六条",
            "result_name": "长者助餐服务卡",
            "keywords": "老年助餐, 长者食堂, 助餐, 养老服务",
            "proxy_capable": True,
            "materials": [ID_CARD, {"name": "长者助餐服务申请表", "form": "original", "source": "center"}],
            "stages": [("资格审核、安排就近助餐点", ["social_affairs"], 3)],
            "faq": [("助餐要交钱吗？", "按街道公布的标准个人付费，80周岁以上和低保、特困老人享受就餐补贴。")],
        },
    ),
    (
        "370829001000",
        {
            "code": "1137082900434852202000002001",
            "name": "门头招牌设置备案",
            "kind": "20",
            "source": "own",
            "source_department": "housing",
            "implementing_body": "嘉祥县人民政府嘉祥街道办事处",
            "accepting_unit": "嘉祥街道为民服务中心",
            "place": "嘉祥街道为民服务中心5号窗口（综合受理）",
            "consult_phone": "0537-6851234",
            "business_category": "comprehensive",
            "handling_type": "instant",
            "legal_limit_days": 0,
            "promised_limit_days": 0,
            "conditions": "在嘉祥街道城区临街设置门头招牌的个体工商户、企业，招牌样式符合城区主街道门头招牌设置导则。",
            "legal_basis": "《城市市容和环境卫生管理条例》第十一条；《山东省城市建设管理条例》",
            "result_name": "门头招牌设置备案回执",
            "keywords": "门头, 招牌, 牌匾, 广告牌",
            "materials": [
                {"name": "营业执照", "form": "copy"},
                {"name": "门头招牌效果图（标明尺寸、材质）", "form": "original", "deficiency_allowed": True},
            ],
        },
    ),
]
