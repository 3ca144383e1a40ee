from django.apps import AppConfig


class CitizensConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "onewindow.citizens"
    verbose_name = "办事群众账号"
