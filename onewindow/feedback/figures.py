"""好差评 figures for a month — 主动评价率、好评率、差评率、实名差评回访率、整改率、回复率 —
by window, staff, item or town, and the monthly window ranking.

Definitions (what a hand count must match):
- services: what could have been rated — hall tickets finished (done) in the month, plus case steps of a rateable
  kind (受理/不予受理/一次性告知, 即办办结, 出件; services.ratings.RATEABLE_ACTIONS) taken in the month, a 即办件's
  acceptance and completion counted once.
- ratings: ratings given in the month; 主动评价 are those the citizen gave on their own (every channel but a
  follow-up call, where staff asked).
- 好评: 非常满意、满意、基本满意; 差评: 不满意、非常不满意.
- 实名差评回访率: real-name 差评 with at least one callback that reached the rater ÷ real-name 差评.
- 整改率 / 回复率: 差评 whose rectification is rectified (waiting for the reply, or closed) / replied ÷ 差评 that
  were not found invalid on appeal.
Ratings are few (tens of thousands a year county-wide) and indexed by (town, created_at), so a month is read
directly; one grouped query per source, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum

from onewindow.cases.flow import Action
from onewindow.cases.models import CaseStep
from onewindow.core.months import month_bounds
from onewindow.feedback.models import BAD_LEVELS, GOOD_LEVELS, Callback, Channel, Rating, RectificationStatus
from onewindow.feedback.services.ratings import RATEABLE_ACTIONS
from onewindow.hall.models import Ticket, TicketStatus

MIN_RATINGS_TO_RANK = 5  # a window with fewer ratings in the month is listed, not ranked

# dimension → (rating field, ticket field or None, case-step field or None)
DIMENSIONS = {
    "window": ("window", "window", None),
    "staff": ("staff", "staff", "actor"),
    "item": ("item", None, "case__item"),
    "town": ("town", "center__town", "case__town"),
}


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


@dataclass
class Row:
    key: int | None
    services: int = 0
    ratings: int = 0
    active: int = 0
    good: int = 0
    bad: int = 0
    real_name_bad: int = 0
    called_back: int = 0
    valid_bad: int = 0
    rectified: int = 0
    replied: int = 0
    level_sum: int = 0
    label: str = ""
    rank: int | None = field(default=None)

    @property
    def active_rate(self):
        return _rate(self.active, self.services)

    @property
    def good_rate(self):
        return _rate(self.good, self.ratings)

    @property
    def bad_rate(self):
        return _rate(self.bad, self.ratings)

    @property
    def callback_rate(self):
        return _rate(self.called_back, self.real_name_bad)

    @property
    def rectification_rate(self):
        return _rate(self.rectified, self.valid_bad)

    @property
    def reply_rate(self):
        return _rate(self.replied, self.valid_bad)

    @property
    def average(self) -> float | None:
        return round(self.level_sum / self.ratings, 2) if self.ratings else None

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "services": self.services,
            "ratings": self.ratings,
            "active_ratings": self.active,
            "good": self.good,
            "bad": self.bad,
            "real_name_bad": self.real_name_bad,
            "called_back": self.called_back,
            "rectified": self.rectified,
            "replied": self.replied,
            "average_level": self.average,
            "active_rate": self.active_rate,
            "good_rate": self.good_rate,
            "bad_rate": self.bad_rate,
            "callback_rate": self.callback_rate,
            "rectification_rate": self.rectification_rate,
            "reply_rate": self.reply_rate,
            "rank": self.rank,
        }


def _rating_counts(ratings, dimension: str):
    reached = Callback.objects.filter(rectification__rating=OuterRef("pk"), reached=True)
    bad = Q(level__in=BAD_LEVELS)
    valid_bad = bad & ~Q(rectification__status=RectificationStatus.INVALID)
    done = Q(rectification__status__in=[RectificationStatus.REPLYING, RectificationStatus.CLOSED])
    return (
        ratings.annotate(reached=Exists(reached))
        .values(dimension)
        .annotate(
            ratings=Count("pk"),
            active=Count("pk", filter=~Q(channel=Channel.CALLBACK)),
            good=Count("pk", filter=Q(level__in=GOOD_LEVELS)),
            bad=Count("pk", filter=bad),
            real_name_bad=Count("pk", filter=bad & Q(anonymous=False)),
            called_back=Count("pk", filter=bad & Q(anonymous=False, reached=True)),
            valid_bad=Count("pk", filter=valid_bad),
            rectified=Count("pk", filter=valid_bad & done),
            replied=Count("pk", filter=valid_bad & Q(rectification__replied_at__isnull=False)),
            level_sum=Sum("level"),
        )
    )


def month_figures(*, month: date, by: str, towns=None) -> list[Row]:
    """One row per window / staff member / item / town with anything in the month, best first by 好评率.

    towns: the Region ids to count (None: the whole county)."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    rating_field, ticket_field, step_field = DIMENSIONS[by]
    start, end = month_bounds(month)
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    tickets = Ticket.objects.filter(status=TicketStatus.DONE, finished_at__gte=start, finished_at__lt=end)
    # A 即办件's acceptance and completion are one visit, rated once (on the completion): count it once.
    instant = CaseStep.objects.filter(case=OuterRef("case"), action=Action.COMPLETE_INSTANTLY)
    steps = CaseStep.objects.filter(action__in=RATEABLE_ACTIONS, at__gte=start, at__lt=end).exclude(
        Q(action=Action.ACCEPT) & Exists(instant)
    )
    if towns is not None:
        ratings = ratings.filter(town__in=towns)
        tickets = tickets.filter(center__town__in=towns)
        steps = steps.filter(case__town__in=towns)
    rows: dict[int | None, Row] = {}
    for values in _rating_counts(ratings, rating_field):
        key = values.pop(rating_field)
        rows[key] = Row(key=key, **values)
    for source, source_field in ((tickets, ticket_field), (steps, step_field)):
        if source_field is None:
            continue
        for values in source.values(source_field).annotate(n=Count("pk")):
            key = values[source_field]
            rows.setdefault(key, Row(key=key)).services += values["n"]
    rows.pop(None, None)  # services nobody can be credited with (e.g. a step by the system)
    result = sorted(rows.values(), key=lambda r: (-(r.good_rate or 0), r.bad, -r.ratings, r.key))
    _label(result, by)
    return result


def window_ranking(*, month: date, towns=None) -> list[Row]:
    """The month's window ranking: 好评率, then fewer 差评, then more ratings; windows with fewer than
    MIN_RATINGS_TO_RANK ratings are listed after the ranked ones, without a rank."""
    rows = month_figures(month=month, by="window", towns=towns)
    ranked = [r for r in rows if r.ratings >= MIN_RATINGS_TO_RANK]
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    return ranked + [r for r in rows if r.ratings < MIN_RATINGS_TO_RANK]


def _label(rows: list[Row], by: str) -> None:
    from onewindow.catalog.models import ServiceItem
    from onewindow.org.models import Region, User, Window

    keys = [r.key for r in rows]
    if by == "window":
        names = {
            w.pk: f"{w.town.name} {w.number}号窗口 {w.name}"
            for w in Window.objects.filter(pk__in=keys).select_related("town")
        }
    elif by == "staff":
        names = {u.pk: u.display_name for u in User.objects.filter(pk__in=keys)}
    elif by == "item":
        names = dict(ServiceItem.objects.filter(pk__in=keys).values_list("pk", "name"))
    else:
        names = dict(Region.objects.filter(pk__in=keys).values_list("pk", "name"))
    for row in rows:
        row.label = names.get(row.key, f"#{row.key}")
