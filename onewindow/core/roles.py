"""Staff roles (DESIGN §1). Codes are stable identifiers; labels are what staff read."""

from django.db import models


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", "县行政审批服务局管理员"
    CENTER_DIRECTOR = "center_director", "为民服务中心主任"
    FRONT_CLERK = "front_clerk", "前台受理员"
    CONSULT_CLERK = "consult_clerk", "咨询导办员"
    REVIEWER = "reviewer", "后台审批人员"
    COORDINATOR = "coordinator", "专职协调人员"
    OUTPUT_CLERK = "output_clerk", "出件窗口人员"
    AGENT = "agent", "村级代办员"
    SUPERVISOR = "supervisor", "督办员（两代表一委员）"
    DEVICE = "device", "设备/系统接口"


ALL_ROLES = frozenset(Role.values)
STAFF_ROLES = ALL_ROLES - {Role.DEVICE}
TOWN_STAFF_ROLES = frozenset(
    {
        Role.CENTER_DIRECTOR,
        Role.FRONT_CLERK,
        Role.CONSULT_CLERK,
        Role.REVIEWER,
        Role.COORDINATOR,
        Role.OUTPUT_CLERK,
    }
)
# Roles that may open the configuration screens (Django admin), each within its own scope.
ADMIN_SITE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR})
# Roles that only read (督办员 / 两代表一委员).
READ_ONLY_ROLES = frozenset({Role.SUPERVISOR})
