from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "onewindow.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib import admin
        from django.contrib.auth.models import Group
        from rest_framework.authtoken.models import TokenProxy

        from onewindow.org.services.staff import record_account_locked

        # django-axes raises the lockout; the audit log must show it.
        user_locked_out.connect(
            lambda sender, username=None, **kwargs: record_account_locked(username or ""),
            dispatch_uid="onewindow.audit_account_locked",
            weak=False,
        )
        # Roles, not Django groups, grant rights; tokens are issued and revoked by the services only.
        for model in (Group, TokenProxy):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
