from django.db import transaction
from rest_framework.authtoken.models import Token

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record


@transaction.atomic
def issue_token(*, actor) -> Token:
    """The caller's API token (one per account; an existing one is returned, not rotated)."""
    token, created = Token.objects.get_or_create(user=actor)
    if created:
        record(
            actor=actor,
            action=AuditAction.TOKEN_ISSUED,
            target=actor,
            town=actor.town,
            summary=f"{actor.display_name} 申领了接口令牌",
        )
    return token
