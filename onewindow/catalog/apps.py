from django.apps import AppConfig


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "onewindow.catalog"
    verbose_name = "事项与办事指南"
