from django.urls import path

from onewindow.org.api import auth, views

urlpatterns = [
    path("auth/token/", auth.TokenApi.as_view(), name="api-token"),
    path("regions/", views.RegionListApi.as_view(), name="api-regions"),
    path("windows/", views.WindowListApi.as_view(), name="api-windows"),
    path("windows/<int:window_id>/", views.WindowDetailApi.as_view(), name="api-window-detail"),
]
