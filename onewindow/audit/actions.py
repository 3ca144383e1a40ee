"""Audit action codes, numbered in blocks per bounded context so codes stay stable as contexts grow.

Block map: 100 auth/accounts · 200 org · 300 calendar · 400 catalog · 500 cases · 600 hall ·
700 feedback · 800 agents · 900 sync/reports · 1000 system.
"""

from django.db import models


class AuditAction(models.IntegerChoices):
    # 100 — authentication and accounts
    LOGIN_SUCCEEDED = 101, "登录成功"
    LOGIN_FAILED = 102, "登录失败"
    LOGOUT = 103, "退出登录"
    PASSWORD_CHANGED = 104, "修改密码"
    TOKEN_ISSUED = 105, "签发接口令牌"
    ACCOUNT_LOCKED = 106, "账号锁定"
    TOKEN_REVOKED = 107, "停用设备令牌"
    DEVICE_SIGNED_IN = 108, "设备以令牌登录"

    # 200 — organisation
    REGION_CREATED = 201, "新增行政区划"
    REGION_UPDATED = 202, "修改行政区划"
    CENTER_CREATED = 211, "新增服务中心/服务站"
    CENTER_UPDATED = 212, "修改服务中心/服务站"
    DEPARTMENT_CREATED = 221, "新增部门"
    DEPARTMENT_UPDATED = 222, "修改部门"
    CATEGORY_SAVED = 225, "保存业务类别"
    WINDOW_CREATED = 231, "新增窗口"
    WINDOW_UPDATED = 232, "修改窗口"
    WINDOW_OPENED = 233, "开启窗口"
    WINDOW_CLOSED = 234, "关闭窗口"
    STAFF_CREATED = 241, "新增工作人员"
    STAFF_UPDATED = 242, "修改工作人员"
    STAFF_DEACTIVATED = 243, "停用工作人员"
    DEVICE_CREATED = 244, "新增设备账号"

    # 300 — working-day calendar
    CALENDAR_SYNCED = 301, "同步法定节假日"
    CALENDAR_DAY_SET = 302, "设置工作日/节假日"

    # 400 — service items, guides and town catalogs
    ITEM_CREATED = 401, "新增政务服务事项"
    GUIDE_DRAFT_SAVED = 402, "保存办事指南草稿"
    GUIDE_PUBLISHED = 403, "发布办事指南"
    GUIDE_DRAFT_DISCARDED = 404, "删除办事指南草稿"
    ITEM_RETIRED = 405, "废止政务服务事项"
    GUIDE_FILE_ATTACHED = 406, "上传样表或结果样本"
    CATALOG_ENTRY_ADOPTED = 411, "事项纳入镇街目录"
    CATALOG_ENTRY_UPDATED = 412, "修改镇街目录条目"
    CATALOG_ENTRY_REMOVED = 413, "事项移出镇街目录"
    CATALOG_IMPORTED = 421, "导入事项目录"

    # 500 — cases
    CASE_RECEIVED = 501, "接件"
    CASE_ACCEPTED = 502, "受理"
    CASE_ACCEPTED_WITH_DEFICIENCY = 503, "容缺受理"
    CASE_CORRECTION_REQUESTED = 504, "一次性告知补正"
    CASE_SUPPLEMENTED = 505, "补齐材料"
    CASE_REJECTED = 506, "不予受理"
    CASE_COMPLETED_INSTANTLY = 507, "即办件当场办结"
    CASE_ROUTED = 508, "转后台审批"
    TASK_APPROVED = 511, "审批同意"
    TASK_RETURNED = 512, "审批退回前台"
    TASK_DENIED = 513, "审批不同意"
    TASK_REASSIGNED = 514, "改派审批任务"
    TASK_CHASED = 516, "催办"
    CASE_RESENT = 515, "重新提交审批"
    CASE_SUSPENDED = 521, "启动特别程序"
    CASE_RESUMED = 522, "结束特别程序"
    CASE_EXTENDED = 523, "延期"
    CASE_DECIDED = 531, "办结"
    CASE_DELIVERED = 532, "出件"
    DEFICIENT_MATERIAL_RECEIVED = 533, "收取容缺材料"
    CASE_WITHDRAWN = 541, "撤回申请"
    CASE_REVOKED = 542, "撤销办件"
    CASE_TERMINATED = 543, "终止办件"
    ATTACHMENT_UPLOADED = 551, "上传办件附件"
    DEADLINE_REMINDER_SENT = 561, "发送超时提醒"

    # 600 — smart hall
    HALL_CONFIGURED = 601, "设置大厅取号"
    TICKET_ISSUED = 611, "取号"
    TICKET_CALLED = 612, "叫号"
    TICKET_RECALLED = 613, "重呼"
    TICKET_NO_SHOW = 614, "过号"
    TICKET_TRANSFERRED = 615, "转移排队"
    TICKET_HELD = 616, "暂挂"
    TICKET_FINISHED = 617, "办结叫号"
    TICKET_STARTED = 618, "开始办理"
    TICKET_RESUMED = 619, "恢复暂挂"
    APPOINTMENT_BOOKED = 621, "预约取号"
    APPOINTMENT_CANCELLED = 622, "取消预约"
    APPOINTMENT_SLOTS_SET = 623, "设置预约时段"
    TIDAL_OPENED = 631, "开启潮汐窗口"
    TIDAL_CLOSED = 632, "关闭潮汐窗口"

    # 700 — citizens and the portal
    CITIZEN_SIGNED_IN = 701, "办事群众登录"
    CITIZEN_SIGNED_OUT = 702, "办事群众退出登录"
    CITIZEN_REGISTERED = 703, "办事群众注册"
    CITIZEN_PROFILE_UPDATED = 704, "办事群众修改个人信息"
    CITIZEN_MOBILE_CHANGED = 705, "办事群众更换手机号码"
    CITIZEN_CODE_FAILED = 706, "短信验证码校验失败"
    CITIZEN_TERMINAL_TIMEOUT = 707, "自助终端超时退出"

    # 720–749 — online application (网上申报) and the citizen's own cases
    APPLICATION_DRAFT_SAVED = 721, "保存网上申报草稿"
    APPLICATION_FILE_REMOVED = 722, "删除网上申报草稿中的材料"
    APPLICATION_DRAFT_DISCARDED = 723, "删除网上申报草稿"
    APPLICATION_SUBMITTED = 724, "提交网上申报"

    # 800 — ratings and supervision (好差评、整改、回访、吐槽找茬、台账、微创新)
    # 801–819 ratings
    RATING_GIVEN = 801, "好差评"
    RATING_REASON_SAVED = 802, "设置评价原因选项"
    # 820–849 rectification and follow-up calls
    RECTIFICATION_OPENED = 821, "差评生成整改"
    RECTIFICATION_CALLBACK = 822, "差评回访"
    RECTIFICATION_VERIFIED = 823, "核实差评（查阅服务记录）"
    RECTIFICATION_APPEALED = 824, "差评申诉复核"
    RECTIFICATION_APPEAL_DECIDED = 825, "县局审核差评申诉"
    RECTIFICATION_OUTCOME_CHOSEN = 826, "确定差评整改方式"
    RECTIFICATION_FIXED = 827, "限期整改完成"
    RECTIFICATION_EXTENSION_REQUESTED = 828, "申请延长整改期限"
    RECTIFICATION_EXTENSION_DECIDED = 829, "县局审核整改延期"
    RECTIFICATION_REPLIED = 830, "答复评价人并办结"
    RECTIFICATION_OVERDUE_ALERTED = 831, "差评整改超期提醒"
    RATER_PHONE_REVEALED = 832, "查看评价人联系电话"
    FOLLOWUP_RECORDED = 840, "出件满意度回访"
    FOLLOWUP_PHONE_REVEALED = 841, "查看回访对象联系电话"
    # 850–889 complaints, the problem ledger, micro-innovation
    PROBLEM_RECORDED = 851, "登记堵点难点卡点"
    COMPLAINT_RECEIVED = 852, "受理吐槽找茬"
    COMPLAINT_HANDLING = 853, "吐槽找茬交办"
    COMPLAINT_REPLIED = 854, "答复吐槽找茬"
    COMPLAINT_CLOSED = 855, "吐槽找茬办结"
    COMPLAINT_REVIEWED = 856, "吐槽找茬回访评价"
    COMPLAINANT_PHONE_REVEALED = 857, "查看吐槽找茬反映人联系电话"
    PROBLEM_STATUS_CHANGED = 860, "堵点难点卡点状态变更"
    PROPOSAL_SUBMITTED = 870, "提交微创新建议"
    PROPOSAL_EVALUATING = 871, "微创新建议进入评估"
    PROPOSAL_DECIDED = 872, "微创新建议评估结论"
    PROPOSAL_RECOGNISED = 873, "微创新表彰激励"

    # 1000 — system
    DEMO_LOADED = 1001, "载入演示数据"
