from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

admin.site.site_header = "一窗受理平台 · 配置管理"
admin.site.site_title = "一窗受理平台"
admin.site.index_title = "配置管理"

api_v1 = [
    path("", include("onewindow.org.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("", include("onewindow.org.urls")),
]
