"""What each role can do now, shown on the home page. Later contexts add their entries here."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.urls import reverse

from onewindow.core.roles import ADMIN_SITE_ROLES, STAFF_ROLES, Role
from onewindow.core.scoping import effective_role


@dataclass(frozen=True)
class HomeTask:
    title: str
    description: str
    url_name: str
    roles: frozenset
    # A live figure for the title (e.g. how many wait), computed for the viewer when the page is drawn.
    badge: Callable[[object], str] | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_TOWN_DESK_ROLES = frozenset(
    {
        Role.CENTER_DIRECTOR,
        Role.FRONT_CLERK,
        Role.CONSULT_CLERK,
        Role.COORDINATOR,
        Role.OUTPUT_CLERK,
        Role.REVIEWER,
        Role.SUPERVISOR,
        Role.COUNTY_ADMIN,
    }
)


def _prereview_badge(user) -> str:
    from onewindow.cases.selectors import prereview_counts  # org must not import cases at load time

    waiting = prereview_counts(user)["submitted"]
    return f"{waiting}件待预审" if waiting else ""


def _rectification_badge(user) -> str:
    from onewindow.feedback.selectors_rectification import open_count

    waiting = open_count(user)
    return f"{waiting}件未办结" if waiting else ""


def _complaint_badge(user) -> str:
    from onewindow.feedback.selectors_supervision import complaint_counts  # org must not import feedback at load

    overdue = complaint_counts(user)["overdue"]
    return f"{overdue}件超期" if overdue else ""


TASKS = (
    HomeTask(
        "综合受理",
        "前台接件：查找事项（支持拼音），核对材料清单，受理、容缺受理、一次性告知或不予受理。",
        "cases:intake",
        frozenset({Role.FRONT_CLERK, Role.CENTER_DIRECTOR, Role.CONSULT_CLERK, Role.AGENT}),
    ),
    HomeTask(
        "办件工作台",
        "按期限排列的待办：待受理、我的审批任务、联办件、超期办件、待出件，红黄绿提示时限。",
        "cases:workbench",
        STAFF_ROLES - {Role.DEVICE},
    ),
    HomeTask(
        "网上预审",
        "群众网上申报的办件：对照材料清单查看上传的文件，受理、一次性告知补正或不予受理。",
        "cases:prereview",
        frozenset({Role.FRONT_CLERK, Role.CONSULT_CLERK, Role.CENTER_DIRECTOR}),
        badge=_prereview_badge,
    ),
    HomeTask(
        "窗口叫号",
        "在本窗口叫号、重呼、过号、转移、暂挂、办结，并带号受理。",
        "hall:windows",
        frozenset({Role.FRONT_CLERK, Role.CONSULT_CLERK, Role.OUTPUT_CLERK, Role.COORDINATOR, Role.CENTER_DIRECTOR}),
    ),
    HomeTask(
        "大厅管理",
        "排队统计与高峰热力、潮汐窗口预警与开关、人员排班建议、预约时段。",
        "hall-manage",
        frozenset({Role.CENTER_DIRECTOR, Role.COUNTY_ADMIN}),
    ),
    HomeTask("窗口一览", "查看本镇街为民服务中心各窗口的类型、服务类别和开放状态。", "window-list", _TOWN_DESK_ROLES),
    HomeTask(
        "事项与办事指南",
        "维护事项清单和办事指南：新增、修改（形成新版本）、发布、废止，查看版本记录。",
        "catalog:staff-items",
        frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR}),
    ),
    HomeTask(
        "本镇事项目录",
        "一窗受理事项目录：纳入事项、设置受理窗口、向群众公布，打印目录、指导手册和二维码墙。",
        "catalog:staff-towns",
        frozenset({Role.CENTER_DIRECTOR}),
    ),
    HomeTask(
        "镇街事项目录",
        "查看和维护各镇街的一窗受理事项目录，打印目录、指导手册和二维码墙。",
        "catalog:staff-towns",
        frozenset({Role.COUNTY_ADMIN}),
    ),
    HomeTask(
        "评议卡录入",
        "把办事群众填写的纸质评议卡录入好差评系统（一事一评，录入人留痕）。",
        "feedback:card-new",
        frozenset({Role.FRONT_CLERK, Role.OUTPUT_CLERK, Role.CENTER_DIRECTOR}),
    ),
    HomeTask(
        "好差评统计",
        "主动评价率、好评率、差评率、回访率、整改率、回复率，按窗口、人员、事项、镇街；窗口月度排名。",
        "feedback:figures",
        frozenset({Role.CENTER_DIRECTOR, Role.COUNTY_ADMIN, Role.SUPERVISOR}),
    ),
    HomeTask(
        "吐槽找茬",
        "群众反映的问题：交办、答复、办结、回访评价；超过答复期限的标红。",
        "feedback:complaints",
        frozenset({Role.CENTER_DIRECTOR, Role.COUNTY_ADMIN, Role.SUPERVISOR}),
        badge=_complaint_badge,
    ),
    HomeTask(
        "吐槽找茬窗口",
        "登记群众当面反映或纸质意见卡上的问题，告知编号和查询码。",
        "feedback:complaint-window",
        frozenset({Role.FRONT_CLERK, Role.CONSULT_CLERK, Role.OUTPUT_CLERK, Role.COORDINATOR}),
    ),
    HomeTask(
        "问题台账",
        "堵点、难点、卡点问题台账：即知即改、上报县局，下载月度专项汇总（Excel、PDF）。",
        "feedback:ledger",
        frozenset({Role.CENTER_DIRECTOR, Role.OUTPUT_CLERK, Role.SUPERVISOR, Role.COUNTY_ADMIN}),
    ),
    HomeTask(
        "微创新",
        "提出优化流程、缩短时限、精简环节和材料的建议；主任评估采纳。",
        "feedback:proposals",
        STAFF_ROLES - {Role.DEVICE},
    ),
    HomeTask(
        "配置管理",
        "维护区划、服务中心、部门、窗口和工作人员账号（中心主任限本镇街）。",
        "admin:index",
        ADMIN_SITE_ROLES,
    ),
    HomeTask(
        "接口文档",
        "设备与上级平台对接的接口说明（OpenAPI）。",
        "api-docs",
        frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR}),
    ),
    HomeTask(
        "差评整改",
        "差评回访核实、立行立改或限期整改、答复评价人；县局审核申诉复核和延期申请。",
        "feedback:rectifications",
        frozenset({Role.CENTER_DIRECTOR, Role.COUNTY_ADMIN}),
        badge=_rectification_badge,
    ),
    HomeTask(
        "满意度回访",
        "出件后按抽样名单电话回访办事群众，记录满意度和反映的问题。",
        "feedback:follow-ups",
        frozenset({Role.OUTPUT_CLERK, Role.CENTER_DIRECTOR}),
    ),
    HomeTask("修改密码", "定期修改登录密码，保护账号安全。", "password-change", STAFF_ROLES),
)


def tasks_for_role(user) -> list[HomeTask]:
    role = effective_role(user)
    tasks = []
    for task in TASKS:
        if role not in task.roles:
            continue
        badge = task.badge(user) if task.badge else ""
        tasks.append(replace(task, title=f"{task.title}（{badge}）") if badge else task)
    return tasks
