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

    # 1000 — system
    DEMO_LOADED = 1001, "载入演示数据"
