"""Domain errors: a stable code, a Chinese message, optional per-field messages.

Services raise these; the API exception handler and the HTML views render them the same way.
"Not found" and "not yours" are the same error, so a probe learns nothing about other towns.
"""


class DomainError(Exception):
    status = 400
    code = "invalid"
    message = "请求无效"

    def __init__(self, message: str | None = None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields or {}
        super().__init__(self.message)

    @property
    def full_message(self) -> str:
        """The message with its field messages, for a banner; a generic class message gives way to the details."""
        details = [str(v) for v in self.fields.values()]
        if details and self.message == type(self).message:
            return "；".join(details)
        return "；".join([self.message, *details])


class ValidationFailed(DomainError):
    status = 400
    code = "validation_failed"
    message = "输入有误，请检查后重新提交"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = "未找到该对象，或您无权访问"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    message = "您没有执行此操作的权限"


class Conflict(DomainError):
    """The action is not allowed in the object's current state (e.g. an illegal transition)."""

    status = 409
    code = "conflict"
    message = "当前状态不允许此操作"
