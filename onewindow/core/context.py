"""Per-request context (client IP, request id) for code that has no request at hand, such as audit.record.

Set by RequestContextMiddleware; outside a request (commands, workers, tests) the values are None.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str | None = None


_EMPTY = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("onewindow_request_context", default=None)


def current() -> RequestContext:
    return _current.get() or _EMPTY


def activate(ctx: RequestContext):
    """Returns a token for deactivate(); the middleware resets the context after the response."""
    return _current.set(ctx)


def deactivate(token) -> None:
    _current.reset(token)
