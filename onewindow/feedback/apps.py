from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "onewindow.feedback"
    verbose_name = "好差评与群众监督"
