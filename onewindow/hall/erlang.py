"""Erlang C (M/M/c queue): how likely a person waits, how long, and how many windows a target needs.

Units: arrival rates are people per HOUR (what a hall counts), service and wait times in SECONDS.
The offered load a = λ/μ (in Erlangs) is the number of windows that would be busy all the time; a queue
is only stable with more windows than that (c > a), otherwise everyone waits and the wait grows without end.
"""

from __future__ import annotations

import math

MAX_SERVERS = 500


def offered_load(arrival_rate: float, mean_service_seconds: float) -> float:
    """a = λ/μ in Erlangs (λ per hour, service in seconds)."""
    return max(0.0, arrival_rate) * max(0.0, mean_service_seconds) / 3600.0


def erlang_c(servers: int, load: float) -> float:
    """P(wait > 0) for c servers and an offered load a; 1.0 when the queue is unstable (c ≤ a).

    Computed through the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which never overflows
    (the textbook sum of a^k/k! does for a few hundred servers), then C = c·B / (c − a·(1 − B)).
    """
    if load <= 0:
        return 0.0
    if servers <= load:
        return 1.0
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return servers * b / (servers - load * (1 - b))


def _rates(arrival_rate: float, mean_service_seconds: float) -> tuple[float, float]:
    """λ and μ per second."""
    return arrival_rate / 3600.0, 1.0 / mean_service_seconds


def service_level(arrival_rate: float, mean_service_seconds: float, servers: int, target_seconds: float) -> float:
    """P(wait ≤ t) = 1 − C·e^(−(cμ − λ)t); 0.0 when the queue is unstable."""
    load = offered_load(arrival_rate, mean_service_seconds)
    if load <= 0:
        return 1.0
    if servers <= load:
        return 0.0
    lam, mu = _rates(arrival_rate, mean_service_seconds)
    return 1.0 - erlang_c(servers, load) * math.exp(-(servers * mu - lam) * max(0.0, target_seconds))


def mean_wait_seconds(arrival_rate: float, mean_service_seconds: float, servers: int) -> float:
    """Mean wait in the queue W_q = C / (cμ − λ); infinity when the queue is unstable."""
    load = offered_load(arrival_rate, mean_service_seconds)
    if load <= 0:
        return 0.0
    if servers <= load:
        return math.inf
    lam, mu = _rates(arrival_rate, mean_service_seconds)
    return erlang_c(servers, load) / (servers * mu - lam)


def servers_needed(arrival_rate: float, mean_service_seconds: float, target_seconds: float, target_level: float) -> int:
    """The smallest c > a with P(wait ≤ target_seconds) ≥ target_level (a fraction, e.g. 0.8).

    No arrivals need no window; a target of 100 % is unreachable in theory, so it is read as 99.9 %.
    """
    load = offered_load(arrival_rate, mean_service_seconds)
    if load <= 0:
        return 0
    level = min(max(target_level, 0.0), 0.999)
    servers = math.floor(load) + 1
    while servers < MAX_SERVERS and service_level(arrival_rate, mean_service_seconds, servers, target_seconds) < level:
        servers += 1
    return servers
