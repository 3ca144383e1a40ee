from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from onewindow.core.api import api_not_found

admin.site.site_header = "一窗受理平台 · 配置管理"
admin.site.site_title = "一窗受理平台"
admin.site.index_title = "配置管理"

api_v1 = [
    path("", include("onewindow.org.api.urls")),
    path("", include("onewindow.catalog.api.urls")),
    path("", include("onewindow.cases.api.urls")),
    path("", include("onewindow.hall.api.urls")),
    path("", include("onewindow.feedback.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/v1/ answers in the API's error shape, not with an HTML page.
    re_path(r"^.*$", api_not_found),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("", include("onewindow.catalog.urls")),
    path("", include("onewindow.cases.urls")),
    path("", include("onewindow.hall.urls")),
    path("", include("onewindow.hall.manage_urls")),
    path("", include("onewindow.citizens.urls")),
    path("", include("onewindow.portal.urls")),
    path("", include("onewindow.feedback.urls")),
    path("", include("onewindow.org.urls")),
]
