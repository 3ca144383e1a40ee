from django.core.exceptions import ValidationError

from onewindow.core.errors import ValidationFailed


def full_clean_or_raise(instance, *, exclude=None) -> None:
    """Model validation as a domain error, so the API and pages show the Chinese field messages."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        fields = {field: "；".join(str(m) for m in messages) for field, messages in exc.message_dict.items()}
        raise ValidationFailed(fields=fields) from exc
