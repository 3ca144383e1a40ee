"""Domain errors of citizen sign-in: stable codes, Chinese messages (rendered by the shared handlers)."""

from onewindow.core.errors import DomainError
from onewindow.core.ratelimit import TooManyAttempts


class CodeInvalid(DomainError):
    code = "citizen.code_invalid"
    message = "验证码不正确，请核对短信后重新输入"


class CodeExpired(DomainError):
    code = "citizen.code_expired"
    message = "验证码已失效，请重新获取"


class CodeSentTooSoon(DomainError):
    status = 429
    code = "citizen.code_too_soon"
    message = "验证码已发送，请稍后再重新获取"


class TooManyCodes(TooManyAttempts):
    code = "citizen.too_many_codes"
    message = "获取验证码次数过多，请1小时后再试，或到为民服务中心窗口办理"


class MobileTaken(DomainError):
    status = 409
    code = "citizen.mobile_taken"
    message = "该手机号码已被其他账号使用，如有疑问请到为民服务中心窗口咨询"


class SignInUnavailable(DomainError):
    status = 403
    code = "citizen.inactive"
    message = "该账号已停用，请到为民服务中心窗口咨询"


class OidcFailed(DomainError):
    code = "citizen.oidc_failed"
    message = "统一身份认证登录未成功，请重新登录或改用手机验证码登录"
