from django.db import transaction
from rest_framework.authtoken.models import Token

from onewindow.audit.actions import AuditAction
from onewindow.org.services.staff import record_account_event


@transaction.atomic
def issue_token(*, actor) -> Token:
    """The caller's API token (one per account; an existing one is returned, not rotated)."""
    token, created = Token.objects.get_or_create(user=actor)
    if created:
        record_account_event(
            actor=actor, user=actor, action=AuditAction.TOKEN_ISSUED, summary=f"{actor.display_name} 申领了接口令牌"
        )
    return token
