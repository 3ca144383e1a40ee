"""Code lists of the national service-guide standard, as stable codes with Chinese labels."""

from django.db import models


class ItemKind(models.TextChoices):
    """事项类型: the two-digit type codes of the national item catalogue."""

    LICENSING = "01", "行政许可"
    PENALTY = "02", "行政处罚"
    COERCION = "03", "行政强制"
    LEVY = "04", "行政征收"
    BENEFIT = "05", "行政给付"
    INSPECTION = "06", "行政检查"
    CONFIRMATION = "07", "行政确认"
    REWARD = "08", "行政奖励"
    ADJUDICATION = "09", "行政裁决"
    OTHER_POWER = "10", "其他行政权力"
    PUBLIC_SERVICE = "20", "公共服务"


class ItemSource(models.TextChoices):
    """事项来源 (policy 三(二)1)."""

    OWN = "own", "镇街自有事项"
    DELEGATED = "delegated", "县直部门下放事项"
    PUBLIC_SERVICE = "public_service", "镇街主动提供的公共服务"


class DelegationMode(models.TextChoices):
    """放权方式 for an item delegated by a county department."""

    ENTRUSTED = "entrusted", "委托办理"
    AUTHORIZED = "authorized", "授权办理"
    REVIEW_DEVOLVED = "review_devolved", "下放实质性审核权"
    WINDOW_FORWARD = "window_forward", "窗口前移"


class HandlingType(models.TextChoices):
    INSTANT = "instant", "即办件"
    PROMISED = "promised", "承诺件"


class WindowCategory(models.TextChoices):
    """Which kind of window receives the item (policy 三(一)1)."""

    HIGH_FREQUENCY = "high_frequency", "高频事项"
    COMPREHENSIVE = "comprehensive", "综合事项"


class ExerciseLevel(models.TextChoices):
    COUNTY = "county", "县级"
    TOWN = "town", "镇（街道）级"
    VILLAGE = "village", "村（社区）级"


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    ORIGINAL_AND_COPY = "original_and_copy", "原件和复印件"
    ELECTRONIC = "electronic", "电子材料"


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", "申请人自备"
    GOVERNMENT = "government", "政府部门核发"
    THIRD_PARTY = "third_party", "其他机构出具"
    CENTER = "center", "窗口现场填写"


class GuideStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已废止"
