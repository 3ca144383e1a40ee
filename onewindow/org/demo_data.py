"""The 嘉祥县 demonstration data set (manage.py demo).

Towns are the county's 15 towns and streets (2020). Region codes follow the 统计用区划代码 layout
(county 370829 + town 3 digits + village 3 digits); village names are a small sample per town.
A real deployment loads the county's current official list through the admin or an import.
"""

COUNTY = ("370829000000", "嘉祥县")

# (code, name, pinyin slug used in demo usernames, villages [(code suffix, name)])
TOWNS = [
    ("370829001000", "嘉祥街道", "jiaxiang", [("001", "城关社区"), ("002", "呈祥社区"), ("201", "大李庄村")]),
    ("370829002000", "卧龙山街道", "wolongshan", [("001", "卧龙山社区"), ("201", "萌山村"), ("202", "焦城村")]),
    ("370829003000", "万张街道", "wanzhang", [("001", "万张社区"), ("201", "前王村"), ("202", "北张村")]),
    ("370829101000", "纸坊镇", "zhifang", [("201", "纸坊村"), ("202", "武翟山村"), ("203", "青山村")]),
    ("370829102000", "梁宝寺镇", "liangbaosi", [("201", "梁宝寺村"), ("202", "东曹村"), ("203", "曹垓村")]),
    ("370829103000", "疃里镇", "tuanli", [("201", "疃里村"), ("202", "武村"), ("203", "孙村")]),
    ("370829104000", "马村镇", "macun", [("201", "马村"), ("202", "西杨村"), ("203", "八里铺村")]),
    ("370829105000", "金屯镇", "jintun", [("201", "金屯村"), ("202", "前刘村"), ("203", "宋楼村")]),
    ("370829106000", "大张楼镇", "dazhanglou", [("201", "大张楼村"), ("202", "刘楼村"), ("203", "孔楼村")]),
    ("370829107000", "马集镇", "maji", [("201", "马集村"), ("202", "田庄村"), ("203", "郭楼村")]),
    ("370829108000", "仲山镇", "zhongshan", [("201", "仲山村"), ("202", "高庙村"), ("203", "胡庄村")]),
    ("370829109000", "孟姑集镇", "mengguji", [("201", "孟姑集村"), ("202", "刘垓村"), ("203", "杨楼村")]),
    ("370829110000", "老僧堂镇", "laosengtang", [("201", "老僧堂村"), ("202", "时庄村"), ("203", "王庄村")]),
    ("370829111000", "满硐镇", "mandong", [("201", "满硐村"), ("202", "南武山村"), ("203", "王楼村")]),
    ("370829200000", "黄垓乡", "huanggai", [("201", "黄垓村"), ("202", "孙垓村"), ("203", "张庄村")]),
]

# code, name, high-frequency?, sort order
CATEGORIES = [
    ("medical_insurance", "医保", True, 10),
    ("social_security", "社保", True, 20),
    ("veterans", "退役军人优抚", True, 30),
    ("social_assistance", "低保五保", True, 40),
    ("comprehensive", "综合事项", False, 50),
    ("market", "市场监管", False, 60),
    ("tax", "税务", False, 70),
    ("household", "户籍", False, 80),
    ("public_utility", "水电缴费及有线电视", False, 90),
    ("consultation", "咨询导办", False, 100),
    ("output", "统一出件", False, 110),
]

# County departments (县直部门): code, name
COUNTY_DEPARTMENTS = [
    ("approval", "嘉祥县行政审批服务局"),
    ("market", "嘉祥县市场监督管理局"),
    ("tax", "国家税务总局嘉祥县税务局"),
    ("police", "嘉祥县公安局"),
    ("medical_insurance", "嘉祥县医疗保障局"),
    ("hrss", "嘉祥县人力资源和社会保障局"),
    ("civil_affairs", "嘉祥县民政局"),
    ("veterans", "嘉祥县退役军人事务局"),
    ("agriculture", "嘉祥县农业农村局"),
    ("housing", "嘉祥县住房和城乡建设局"),
    # Needed by the demo catalog's routes and as the source departments of its items.
    ("health", "嘉祥县卫生健康局"),
    ("disabled", "嘉祥县残疾人联合会"),
    ("organization", "中共嘉祥县委组织部"),
    ("natural_resources", "嘉祥县自然资源和规划局"),
    ("water", "嘉祥县水务局"),
    ("power_supply", "国网嘉祥县供电公司"),
    ("cable_tv", "山东广电网络有限公司嘉祥分公司"),
]

# Town departments (镇直部门) present in every town: code, name
TOWN_DEPARTMENTS = [
    ("social_affairs", "社会事务办公室"),
    ("labour_security", "人力资源和社会保障所"),
    ("medical_insurance", "医疗保障工作站"),
    ("veterans", "退役军人服务站"),
    ("agriculture", "农业综合服务中心"),
    ("finance", "财政所"),
    ("construction", "村镇建设办公室"),
    ("health", "卫生健康办公室"),
    ("disabled", "残疾人联合会"),
    ("party_building", "党建工作办公室"),
]

# County departments stationed in every town hall (县直部门进驻): code, name, county department code
STATIONED_DEPARTMENTS = [
    ("market", "市场监督管理所", "market"),
    ("tax", "税务分局", "tax"),
    ("household", "派出所户籍室", "police"),
    ("natural_resources", "自然资源所", "natural_resources"),
    ("power_supply", "供电所", "power_supply"),
    ("cable_tv", "广电服务站", "cable_tv"),
]

# number, name, kind, category codes, open?
WINDOWS = [
    (1, "医保业务", "high_frequency", ["medical_insurance"], True),
    (2, "社保业务", "high_frequency", ["social_security"], True),
    (3, "退役军人优抚", "high_frequency", ["veterans"], True),
    (4, "低保五保", "high_frequency", ["social_assistance"], True),
    (5, "综合受理", "comprehensive", ["comprehensive", "public_utility"], True),
    (6, "市场监管·税务·户籍", "comprehensive", ["market", "tax", "household"], True),
    (7, "潮汐窗口", "tidal", ["medical_insurance", "social_security"], False),
    (8, "咨询导办", "consultation", ["consultation"], True),
    (9, "统一出件", "output", ["output"], True),
]

DEMO_PASSWORD = "Jiaxiang@2026"

# Towns that get a full set of accounts (one per role), so cross-town isolation can be tried at once.
FULLY_STAFFED_TOWNS = ["jiaxiang", "zhifang"]
