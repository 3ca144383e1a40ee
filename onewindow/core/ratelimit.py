"""Counting failures per client in the cache, for endpoints a stranger could guess at (查询码, SMS codes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from onewindow.core.errors import DomainError


class TooManyAttempts(DomainError):
    status = 429
    code = "rate_limited"
    message = "尝试次数过多，请15分钟后再试"


@dataclass(frozen=True)
class FailureLimit:
    """At most `limit` failures per `window_seconds` for one key (e.g. a client address)."""

    scope: str
    limit: int = 10
    window_seconds: int = 15 * 60

    def _key(self, who: str) -> str:
        return f"ratelimit:{self.scope}:{who}"

    def check(self, who: str) -> None:
        if (cache.get(self._key(who)) or 0) >= self.limit:
            raise TooManyAttempts()

    def fail(self, who: str) -> None:
        key = self._key(who)
        if cache.add(key, 1, self.window_seconds):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, self.window_seconds)
