"""In-app notifications to staff, with a text message when the staff member has a mobile number."""

from __future__ import annotations

from django.utils import timezone

from onewindow.core.models import Notification
from onewindow.core.sms import send_after_commit


def notify_staff(users, *, kind: str, title: str, body: str, url: str = "", sms: bool = False) -> int:
    users = [u for u in dict.fromkeys(users) if u is not None and u.is_active]
    Notification.objects.bulk_create(
        Notification(user=user, kind=kind, title=title[:100], body=body[:500], url=url[:200]) for user in users
    )
    if sms:
        for user in users:
            if getattr(user, "mobile", ""):
                send_after_commit(user.mobile, f"{title}：{body}")
    return len(users)


def unread_for(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(user) -> int:
    return unread_for(user).update(read_at=timezone.now())


def mark_read_older(*, kinds, before) -> int:
    """Marks read (as of `before`) every unread notification of these kinds created before then (the demo's
    directors have read last month's notices)."""
    return Notification.objects.filter(kind__in=kinds, read_at__isnull=True, created_at__lt=before).update(
        read_at=before
    )
