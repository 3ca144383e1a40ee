from django.apps import AppConfig


class HallConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "onewindow.hall"
    verbose_name = "智能化大厅"
