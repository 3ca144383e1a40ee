"""The words of the feedback demo (manage.py demo): what raters write, what the center does about it, complaints,
ledger lines and micro-innovation proposals, as a township service center would put them. Used only by
onewindow/feedback/services/demo_ratings.py and demo_supervision.py."""

from __future__ import annotations

from dataclasses import dataclass

# --- ratings ------------------------------------------------------------------------------------------------

# Comments of good ratings, by level (most raters write nothing; see the demo's comment shares).
GOOD_COMMENTS = {
    5: (
        "工作人员很耐心，一次就办好了",
        "不到十分钟就办完了，点赞",
        "窗口同志讲得很清楚，一听就明白",
        "老人办事有人引导，很贴心",
        "在家门口就能办，不用再跑县城了",
        "材料差一份也先给受理了，回头补上就行，很人性化",
        "服务热情周到",
        "导办员帮着填的表，省了不少事",
    ),
    4: (
        "整体不错，就是等了一会儿",
        "办得挺快，办事指南可以再写细一点",
        "服务挺好，就是停车不太方便",
        "工作人员态度好，系统有点慢",
    ),
}


# How often each default 满意 / 非常满意 reason is ticked (a label the county added: weight 1).
PRAISE_WEIGHTS = {
    "办事快": 6,
    "态度好": 6,
    "一次办好": 5,
    "耐心解答": 4,
    "办事指南清楚": 2,
    "材料精简": 1,
    "帮办代办贴心": 1,
}

# 基本满意: what the comment says goes with the reason ticked (the default labels of level 3).
MIDDLING = {
    "等候时间较长": ("人太多，等了四十多分钟", "中午只开了一个窗口，等的时间长"),
    "办事指南不够清楚": ("材料清单和网上写的不太一样", "指南上没说清楚要不要复印件"),
    "办理效率一般": ("系统有点慢，等了半天", "一个事办了快半小时"),
    "服务态度一般": ("问一句答一句，不太主动",),
}


@dataclass(frozen=True)
class Trouble:
    """A 差评 reason label with what raters say about it and what the center does: 立行立改 measures, a
    限期整改 plan and its result, a 解释说明, and the reply sent to the rater (no personal data: it goes by SMS)."""

    label: str  # a default 差评 reason (feedback migration 0002)
    weight: int  # how often it is the reason at a window (0: never there)
    case_weight: int  # … and on a case step
    kind: str  # the ledger's 堵点 / 难点 / 卡点 when it goes on the ledger
    comments: tuple[str, ...]
    fixed: str
    plan: str
    done: str
    explained: str
    reply: str


TROUBLES = (
    Trouble(
        "排队等候时间长",
        30,
        2,
        "blockage",
        ("排了一个多小时的队，前面只开了两个窗口", "上午九点来的，快十一点才叫到号", "等的时间太长，老人站不住"),
        "当天调整排班，开启潮汐窗口分流医保社保业务，导办人员在高峰时段引导取号",
        "高峰时段常态化开启潮汐窗口，调整午间错时服务排班",
        "潮汐窗口已按高峰时段常态化开启，午间错时服务排班已在大厅公示",
        "当天医保集中缴费，来办事的群众是平时的两倍，已向评价人说明并致歉，建议错峰办理或网上缴费",
        "您反映的排队时间长问题已整改：高峰时段增开潮汐窗口，导办人员分流引导。感谢您的监督！",
    ),
    Trouble(
        "多次跑动",
        22,
        8,
        "blockage",
        ("材料要求跑了两趟才说清", "第一次来没告诉要带户口本，又跑了一趟", "回村开完证明再来，又说格式不对"),
        "修订该事项一次性告知单，窗口受理时当场逐项核对材料，对当事工作人员进行提醒谈话",
        "梳理高频事项材料清单，统一印制一次性告知单，窗口和网上同步公示",
        "高频事项一次性告知单已修订印发，窗口和网上办事指南已同步更新",
        "所缺材料为法定要件，不能减免；已向评价人说明，并安排村级代办员帮办",
        "您反映的多次跑动问题已整改：窗口实行一次性告知，材料当场核对。给您带来不便，深表歉意。",
    ),
    Trouble(
        "服务态度差",
        12,
        2,
        "difficulty",
        ("问了两遍就不耐烦了", "工作人员说话语气很冲", "一边办事一边看手机，问话爱答不理"),
        "对当事工作人员批评教育，在中心例会上通报，纳入当月服务考核",
        "开展窗口服务礼仪培训，实行服务用语规范和明察暗访",
        "服务礼仪培训已完成，明察暗访已纳入每月考核",
        "经调阅窗口录像，工作人员按规定解释了办理条件，已向评价人再次说明政策",
        "您反映的服务态度问题属实，已对当事工作人员批评教育并纳入考核。感谢您的监督！",
    ),
    Trouble(
        "窗口人员业务不熟",
        12,
        3,
        "difficulty",
        ("问的问题答不上来，还得去问别人", "新来的工作人员不会操作系统，耽误了很长时间"),
        "安排业务骨干带班，组织窗口人员开展该事项业务培训",
        "开展窗口人员业务轮训并组织上岗考试",
        "窗口人员业务轮训和上岗考试已完成",
        "该事项政策刚调整，已向评价人说明新政策并当场办结",
        "您反映的业务不熟问题已整改：已安排业务骨干带班并开展业务培训。感谢您的监督！",
    ),
    Trouble(
        "系统故障",
        10,
        2,
        "bottleneck",
        ("系统连不上，让明天再来", "社保卡打不出来，说机器坏了"),
        "联系县局运维人员排除故障，建立系统故障时先收件、后补录的应急办理机制",
        "协调县局更换制卡设备并升级中心网络线路",
        "制卡设备已更换，网络线路升级后运行正常",
        "经核实为省级平台当日故障，已向评价人说明原因并致歉，故障恢复后已通知其办理",
        "您反映的系统故障问题已整改：故障期间先收件后补录，设备已更换。感谢您的理解和监督！",
    ),
    Trouble(
        "办事指南不准确",
        6,
        4,
        "difficulty",
        ("网上指南写的材料和窗口要的不一样", "指南上没写要本人到场"),
        "更正办事指南材料清单，大厅公示栏和网上同步更新",
        "逐项核对本中心公布的办事指南，与县局标准化指南保持一致",
        "本中心公布的办事指南已逐项核对更正",
        "网上指南为县级标准化版本，已向评价人说明本镇的具体要求并致歉",
        "您反映的办事指南不准确问题已整改：指南已更正并同步公示。感谢您的监督！",
    ),
    Trouble(
        "推诿扯皮",
        4,
        2,
        "blockage",
        ("问了三个窗口都说不归他们管",),
        "落实首问负责制，由首问窗口全程引导办理",
        "梳理跨部门事项清单，明确牵头窗口和内部流转办法",
        "跨部门事项清单和内部流转办法已印发执行",
        "该事项需两个部门分别办理，已向评价人说明流程，并安排专人陪同办理",
        "您反映的推诿问题已整改：落实首问负责制，首问窗口全程引导。感谢您的监督！",
    ),
    Trouble(
        "要求提供不必要的材料",
        4,
        4,
        "blockage",
        ("已经有电子证照了，还让回村里开证明",),
        "取消该村级证明，改为部门间数据共享核验",
        "清理各事项中的村级证明，能共享核验的一律不再要求",
        "已清理村级证明事项，改为数据共享核验",
        "该证明为法律法规规定的材料，暂不能取消，已向评价人说明依据",
        "您反映的多交材料问题已整改：该证明已取消，改为部门间核验。感谢您的监督！",
    ),
    Trouble(
        "办理超时",
        0,
        3,
        "bottleneck",
        ("说好五个工作日，过了两周还没消息",),
        "督促承办部门限时办结，专职协调人员跟踪督办",
        "建立超期办件周通报制度，专职协调人员逐件督办",
        "超期办件周通报制度已建立，本月无新增超期办件",
        "该办件依法暂停计时（公示期），已向评价人说明办理进度",
        "您反映的办理超时问题已整改：承办部门已办结，超期办件实行周通报。感谢您的监督！",
    ),
)

CALLBACK_VALID = "电话回访评价人，反映的“{what}”情况属实，已致歉并告知整改安排"
CALLBACK_INVALID = "电话回访评价人并调阅窗口录像：工作人员按规定办理，评价所述“{what}”与服务记录不符，评价人表示系误评"
CALLBACK_MISSED = "拨打评价人电话无人接听，稍后再联系"
RECORD_VALID = "调阅当日叫号记录和窗口录像，评价反映的“{what}”情况属实"
RECORD_INVALID = "调阅当日叫号记录和窗口录像：工作人员按规定办理，评价所述“{what}”与服务记录不符"
APPEAL_REASON = (
    "经回访评价人并调阅窗口录像和叫号记录，差评所述情况与服务记录不符，非窗口工作人员责任，申请认定为无效差评"
)
APPEAL_APPROVED = "经核查窗口录像和叫号记录，申诉理由成立，同意认定为无效差评"
APPEAL_REFUSED = "经核查，窗口服务存在不足，差评成立，请抓紧整改并答复评价人"
EXPLAINED_REPLY = "感谢您的评价，相关情况工作人员已在回访时向您作了说明。我们将继续改进服务，欢迎监督。"
EXTENSION_REASON = "所需设备由县局统一采购，到货安装需要时间，申请延期整改"
EXTENSION_APPROVED = "同意延期，请按新期限完成整改"

# --- 出件窗口满意度回访 -----------------------------------------------------------------------------------------

FOLLOWUP_NOTES = {
    "ok": "群众对办理结果满意，已领取证件",
    "missed": "无人接听",
    "retry": "上午未接通，下午再次回访",
}
FOLLOWUP_PROBLEMS = (
    ("blockage", "群众反映办结短信没收到，自己打电话问了才知道可以来取件"),
    ("difficulty", "群众反映填表时不清楚家庭收入怎么算，希望窗口提供填表示范"),
)

# --- 吐槽找茬 -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintText:
    channel: str  # web / qr / window
    content: str
    item: str  # the item's name when it concerns one ("" when not)
    anonymous: bool
    handling: str
    reply: str
    ledger_kind: str  # put on the 堵点难点卡点 ledger as this kind ("" when not)


COMPLAINTS = (
    ComplaintText(
        "web",
        "中心门口停车位太少，上午来办事转了三圈才找到地方停车，希望能想想办法。",
        "",
        False,
        "协调街道综合执法队在中心东侧划定临时停车区域",
        "已在中心东侧空地增划停车位30个，高峰时段安排志愿者引导停车。感谢您的建议！",
        "blockage",
    ),
    ComplaintText(
        "window",
        "大厅饮水机没有热水，老人来办事想喝口热水都没有。",
        "",
        True,
        "安排后勤人员更换饮水机",
        "已更换饮水机，并指定专人每天检查。感谢您的提醒！",
        "",
    ),
    ComplaintText(
        "qr",
        "取号机经常卡纸，老年人又不会用手机取号，只能干着急。",
        "",
        False,
        "联系设备厂家维修取号机，导办人员在取号区值守",
        "取号机已维修，导办人员在取号区协助老年人取号，老年人可走绿色通道优先办理。",
        "bottleneck",
    ),
    ComplaintText(
        "web",
        "中午十二点到一点半窗口不办业务，上班的人只能请假来办。",
        "",
        False,
        "研究午间错时服务排班方案",
        "自下月起实行午间错时服务，午休时段保留医保社保和综合受理窗口办理业务。",
        "blockage",
    ),
    ComplaintText(
        "window",
        "补办社保卡要等半个月，能不能在镇上当场制卡？",
        "社会保障卡申领",
        False,
        "向县人社局申请在中心配置即时制卡设备",
        "已向县人社局申请配置即时制卡设备，配置到位前可选择免费邮寄到家。",
        "difficulty",
    ),
    ComplaintText(
        "qr",
        "咨询电话一直打不通，想问个材料都问不到。",
        "",
        True,
        "核查咨询电话接听情况，增设咨询专线",
        "已增设一条咨询专线并安排专人接听，工作日办公时间有人值守。",
        "",
    ),
    ComplaintText(
        "web",
        "低保申请表格太复杂，村里老人看不懂，希望简化。",
        "最低生活保障申请",
        False,
        "请社会事务办制作填表示范样表",
        "已制作填表示范样表放在窗口和村便民服务站，村级代办员可上门帮办。",
        "difficulty",
    ),
    ComplaintText(
        "window",
        "卫生间没有扶手，老人和残疾人不方便。",
        "",
        False,
        "安排在无障碍卫生间加装扶手",
        "已在无障碍卫生间加装扶手和紧急呼叫按钮。",
        "",
    ),
)
COMPLAINT_REVIEW_NOTES = ("对处理结果满意", "问题已解决，感谢", "基本满意，希望保持")

# --- 堵点、难点、卡点台账（工作人员发现）------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffProblem:
    kind: str
    description: str
    item: str
    department: str  # the town department's code ("" when none)
    status: str  # in_progress / done / escalated
    measures: str


STAFF_PROBLEMS = (
    StaffProblem(
        "blockage",
        "个体工商户注销需分别到市场监管所和税务分局办理，群众要跑两个窗口。",
        "个体工商户注销登记",
        "market",
        "done",
        "在综合受理窗口实行注销“一窗受理、内部流转”，群众只跑一个窗口。",
    ),
    StaffProblem(
        "difficulty",
        "农村老人不会用手机缴纳城乡居民医保，缴费期窗口排长队。",
        "城乡居民社会保险费缴纳",
        "medical_insurance",
        "in_progress",
        "",
    ),
    StaffProblem(
        "bottleneck",
        "残疾人证申领需到县医院评残，群众往返县城不便，需县残联协调定期到镇评残。",
        "残疾人证申领",
        "disabled",
        "escalated",
        "",
    ),
    StaffProblem(
        "bottleneck",
        "省平台与县平台低保数据不同步，办件需重复录入两遍。",
        "最低生活保障申请",
        "social_affairs",
        "escalated",
        "",
    ),
    StaffProblem(
        "difficulty",
        "高龄津贴需本人到场认证，卧床老人家属只能背着来。",
        "80周岁以上老年人高龄津贴",
        "social_affairs",
        "done",
        "由村级代办员上门视频认证，卧床老人不再到场。",
    ),
)
COUNTY_SOLVED = "县残联已安排每月第二周到镇集中评残，群众不再往返县城。"

# --- 微创新 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalText:
    town: str  # the demo town's slug ("" for a county-level proposal)
    proposer: str  # a staff role code, or "citizen:<name>"
    area: str
    title: str
    content: str
    outcome: str  # submitted / evaluating / adopted / declined
    evaluation: str = ""
    recognition: str = ""


PROPOSALS = (
    ProposalText(
        "jiaxiang",
        "front_clerk",
        "materials",
        "低保年审材料由村级代办员集中代收",
        "每年低保年审时，大量老人到中心排队交材料。建议由村级代办员在村便民服务站集中代收、统一送审，群众不用跑到街道。",
        "adopted",
        "在城关、呈祥社区试行一个月，年审到中心排队人数明显下降，同意在全街道推行。",
        "评为本季度政务服务微创新优秀案例，通报表扬",
    ),
    ProposalText(
        "zhifang",
        "citizen:王建国",
        "process",
        "办好的证件可以邮寄到家",
        "证件办好后还要再跑一趟来取，建议可以选择邮寄到家，邮费自理也行。",
        "adopted",
        "与邮政合作开通免费寄递，出件窗口已提供邮寄送达选项。",
    ),
    ProposalText(
        "zhifang",
        "output_clerk",
        "service",
        "午间错时服务",
        "上班族只能中午来办事，建议午休时段保留医保社保和综合受理窗口，工作人员轮流错时休息。",
        "adopted",
        "试行两周，午间办件量占全天一成，群众反映好，同意常态化实行。",
        "授予中心月度“服务之星”",
    ),
    ProposalText(
        "jiaxiang",
        "citizen:刘秀兰",
        "steps",
        "高龄老人办事免取号直接引导到窗口",
        "八十岁以上老人不会用取号机，建议导办员直接引导到窗口优先办理。",
        "evaluating",
    ),
    ProposalText(
        "zhifang",
        "front_clerk",
        "time_limit",
        "社保卡即时制卡设备下沉到镇街",
        "社保卡补换卡现在要等半个月，建议在中心配置即时制卡设备，当场领卡。",
        "evaluating",
    ),
    ProposalText(
        "jiaxiang",
        "citizen:张伟",
        "service",
        "大厅增设母婴室",
        "带孩子来办事没有地方喂奶换尿布，建议在大厅一角设一间母婴室。",
        "submitted",
    ),
    ProposalText(
        "jiaxiang",
        "citizen:赵磊",
        "system",
        "取消纸质评议卡，全部改为扫码评价",
        "纸质评议卡还要工作人员录入，建议全部改成扫码评价，省事又准确。",
        "declined",
        "部分老年群众不使用智能手机，纸质评议卡仍需保留；已在评议卡上加印评价二维码，两种方式并行。",
    ),
    ProposalText(
        "",
        "citizen:孙丽",
        "materials",
        "全县统一“一次性告知单”样式",
        "各镇街的一次性告知单样式不一样，有的写得很简单，建议全县统一样式，写明每份材料的要求和样表。",
        "adopted",
        "县局已制定统一的一次性告知单样式，在各镇街为民服务中心推行。",
    ),
)
