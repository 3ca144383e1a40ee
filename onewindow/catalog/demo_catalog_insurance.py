"""Demo catalog, high-frequency windows: 医保、社保 (see demo_catalog.py)."""

from onewindow.catalog.demo_catalog import BANK_CARD, FAQ_PROXY, HOUSEHOLD_BOOK, ID_CARD, PROXY_LETTER

_MEDICAL = {
    "business_category": "medical_insurance",
    "source": "delegated",
    "delegation_mode": "entrusted",
    "source_department": "medical_insurance",
    "implementing_body": "嘉祥县医疗保障局",
}
_PENSION = {
    "business_category": "social_security",
    "source": "delegated",
    "delegation_mode": "entrusted",
    "source_department": "hrss",
    "implementing_body": "嘉祥县人力资源和社会保障局",
}

ITEMS = [
    {
        **_MEDICAL,
        "code": "11370829MB2853140Q2000101001",
        "name": "城乡居民基本医疗保险参保登记",
        "kind": "20",
        "handling_type": "instant",
        "legal_limit_days": 5,
        "promised_limit_days": 0,
        "conditions": "本县户籍或持本县居住证、未参加职工基本医疗保险的城乡居民（含新生儿、在校学生）。",
        "legal_basis": (
            "《中华人民共和国社会保险法》第二十五条；"
            "《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号）"
        ),
        "result_name": "参保登记信息（可在“山东医保”小程序查询）",
        "keywords": "医保, 居民医保, 医保参保, 参保登记, 新农合",
        "online_capable": True,
        "proxy_capable": True,
        "visits_needed": 0,
        "materials": [
            ID_CARD,
            {"name": "城乡居民基本医疗保险参保登记表", "form": "original", "source": "center"},
            {"name": "出生医学证明", "form": "copy", "required": False, "note": "新生儿参保提供"},
        ],
        "faq": [
            ("参保后什么时候缴费？", "每年集中征缴期内通过税务部门缴纳，可在“山东税务”小程序、银行网点或窗口缴纳。")
        ],
    },
    {
        **_MEDICAL,
        "code": "11370829MB2853140Q2000102001",
        "name": "城乡居民基本医疗保险参保信息变更登记",
        "kind": "20",
        "handling_type": "instant",
        "legal_limit_days": 5,
        "promised_limit_days": 0,
        "conditions": "已参加本县城乡居民基本医疗保险，姓名、身份证号码、联系方式、户籍等信息发生变化的参保人。",
        "legal_basis": "《中华人民共和国社会保险法》第五十七条；《山东省医疗保障经办政务服务事项清单》",
        "result_name": "变更后的参保信息",
        "keywords": "医保, 医保信息变更, 改医保信息",
        "online_capable": True,
        "visits_needed": 0,
        "materials": [
            ID_CARD,
            {"name": "信息变更的证明材料", "form": "copy", "note": "如户籍变更证明、公安机关出具的更正证明"},
        ],
    },
    {
        **_MEDICAL,
        "code": "11370829MB2853140Q2000103001",
        "name": "基本医疗保险关系转移接续",
        "kind": "20",
        "handling_type": "promised",
        "legal_limit_days": 15,
        "promised_limit_days": 10,
        "conditions": "跨统筹地区流动就业或居住，需要将基本医疗保险关系转入本县的参保人。",
        "legal_basis": "《中华人民共和国社会保险法》第三十二条；《流动就业人员基本医疗保障关系转移接续暂行办法》",
        "result_name": "基本医疗保险关系转移接续联系函、缴费年限合并记录",
        "keywords": "医保转移, 医保关系转移, 医保转接",
        "online_capable": True,
        "materials": [
            ID_CARD,
            {
                "name": "基本医疗保险参保（合）凭证",
                "form": "original",
                "deficiency_allowed": True,
                "note": "原参保地开具；可容缺受理，由医保经办机构通过全国转移接续平台获取",
            },
            {"name": "基本医疗保险关系转移接续申请表", "form": "original", "source": "center"},
        ],
        "stages": [("审核转移接续信息", ["medical_insurance"], 5)],
    },
    {
        **_MEDICAL,
        "code": "11370829MB2853140Q2000104001",
        "name": "门诊慢特病待遇认定",
        "kind": "20",
        "handling_type": "promised",
        "legal_limit_days": 20,
        "promised_limit_days": 15,
        "conditions": "参加本县基本医疗保险、患有门诊慢特病病种目录内疾病的参保人。",
        "legal_basis": "《山东省医疗保障局关于进一步完善门诊慢特病保障工作的通知》",
        "result_name": "门诊慢特病待遇认定结果",
        "keywords": "慢性病, 慢特病, 门慢, 门诊慢性病",
        "proxy_capable": True,
        "materials": [
            ID_CARD,
            {
                "name": "近两年病历、出院记录及相关检查报告",
                "form": "original_and_copy",
                "deficiency_allowed": True,
                "note": "可容缺受理，鉴定前补齐",
            },
            {"name": "门诊慢特病认定申请表", "form": "original", "source": "center"},
            PROXY_LETTER,
        ],
        "special_procedures": [("定点医疗机构专家鉴定", 10, False, "由县医保局组织，不计入办结时限")],
        "stages": [("材料初审", ["medical_insurance"], 5)],
    },
    {
        **_MEDICAL,
        "code": "11370829MB2853140Q0500105001",
        "name": "医疗救助申请",
        "kind": "05",
        "handling_type": "promised",
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "conditions": "低保对象、特困人员、低保边缘家庭成员等救助对象，经基本医保、大病保险报销后个人负担仍较重的。",
        "legal_basis": (
            "《社会救助暂行办法》第二十八条至第三十二条；"
            "《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）"
        ),
        "result_name": "医疗救助金（打入申请人账户）",
        "keywords": "大病救助, 看病报销, 二次报销",
        "proxy_capable": True,
        "materials": [
            ID_CARD,
            {"name": "医疗费用结算单及票据", "form": "original"},
            {"name": "诊断证明或出院记录", "form": "copy"},
            BANK_CARD,
            {"name": "医疗救助申请表", "form": "original", "source": "center"},
        ],
        # Joint: the 社会事务办 confirms the applicant is a 救助对象 while the 医保站 checks the bills.
        "stages": [
            ("救助对象身份与费用联合审核", ["medical_insurance", "social_affairs"], 5),
            ("审批并拨付", ["medical_insurance", "finance"], 5),
        ],
    },
    {
        **_PENSION,
        "code": "1137082900434917522000201001",
        "name": "城乡居民基本养老保险参保登记",
        "kind": "20",
        "handling_type": "instant",
        "legal_limit_days": 5,
        "promised_limit_days": 0,
        "conditions": (
            "年满16周岁（不含在校学生）、非国家机关和事业单位工作人员、不属于职工基本养老保险覆盖范围的本县户籍居民。"
        ),
        "legal_basis": (
            "《中华人民共和国社会保险法》第二十条、第二十一条；"
            "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）"
        ),
        "result_name": "参保登记信息",
        "keywords": "养老保险, 居民养老, 新农保, 社保参保",
        "online_capable": True,
        "proxy_capable": True,
        "materials": [
            ID_CARD,
            HOUSEHOLD_BOOK,
            {"name": "城乡居民基本养老保险参保登记表", "form": "original", "source": "center"},
        ],
    },
    {
        **_PENSION,
        "code": "1137082900434917522000202001",
        "name": "城乡居民基本养老保险待遇领取",
        "kind": "20",
        "handling_type": "promised",
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "conditions": (
            "参加城乡居民基本养老保险、年满60周岁、"
            "累计缴费满15年（或符合政策规定）且未领取其他国家规定的基本养老保障待遇的人员。"
        ),
        "legal_basis": "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）第六条",
        "result_name": "城乡居民基本养老保险待遇核定结果，次月起按月发放",
        "keywords": "养老金, 领养老金, 养老待遇, 60岁",
        "proxy_capable": True,
        "materials": [
            ID_CARD,
            HOUSEHOLD_BOOK,
            BANK_CARD,
            {"name": "城乡居民基本养老保险待遇领取申请表", "form": "original", "source": "center"},
            PROXY_LETTER,
        ],
        "stages": [("待遇资格初审", ["labour_security"], 3), ("县社保中心待遇核定", ["hrss"], 5)],
        "faq": [FAQ_PROXY, ("缴费不满15年能领吗？", "可按规定一次性补缴至满15年后领取，具体到窗口测算。")],
    },
    {
        **_PENSION,
        "code": "1137082900434917522000203001",
        "name": "城乡居民基本养老保险关系转移接续",
        "kind": "20",
        "handling_type": "promised",
        "legal_limit_days": 45,
        "promised_limit_days": 15,
        "conditions": "已参加城乡居民基本养老保险、未领取待遇前户籍迁入本县的参保人。",
        "legal_basis": "《城乡居民基本养老保险经办规程》第三十二条至第三十五条",
        "result_name": "养老保险关系及个人账户资金转入",
        "keywords": "养老保险转移, 社保转移, 社保转入",
        "materials": [
            ID_CARD,
            HOUSEHOLD_BOOK,
            {"name": "城乡居民基本养老保险关系转入申请表", "form": "original", "source": "center"},
        ],
        "stages": [("转入申请审核", ["labour_security"], 3), ("县社保中心联系转出地办理", ["hrss"], 10)],
    },
    {
        **_PENSION,
        "code": "1137082900434917522000204001",
        "name": "社会保障卡申领",
        "kind": "20",
        "handling_type": "instant",
        "legal_limit_days": 5,
        "promised_limit_days": 0,
        "conditions": "在本县参加社会保险或享受人社公共服务、尚未持有有效社会保障卡的人员。",
        "legal_basis": "《中华人民共和国社会保险法》第五十八条；《社会保障卡管理办法》",
        "result_name": "第三代社会保障卡（即时制卡，当场领取）",
        "keywords": "社保卡, 办社保卡, 即时制卡",
        "online_capable": True,
        "materials": [
            ID_CARD,
            {"name": "近期免冠证件照", "form": "electronic", "required": False, "note": "窗口可现场拍照"},
            {"name": "社会保障卡申领登记表", "form": "original", "source": "center"},
        ],
        "faq": [("社保卡丢了怎么办？", "先拨打12333或到窗口挂失，再办理补领，可即时制卡。")],
    },
    {
        **_PENSION,
        "code": "1137082900434917522000205001",
        "name": "就业创业证申领",
        "kind": "20",
        "handling_type": "instant",
        "legal_limit_days": 5,
        "promised_limit_days": 0,
        "conditions": "在法定劳动年龄内、有劳动能力和就业要求的城乡劳动者（含失业人员、返乡创业人员）。",
        "legal_basis": "《中华人民共和国就业促进法》；《就业服务与就业管理规定》第六十一条至第六十三条",
        "result_name": "就业创业证",
        "keywords": "失业登记, 就业登记, 创业证, 失业证",
        "online_capable": True,
        "materials": [ID_CARD, {"name": "就业创业登记表", "form": "original", "source": "center"}],
    },
]
