"""Catalog API: public item list and guide (DESIGN §4)."""

from django.urls import path

from onewindow.catalog.api import views

urlpatterns = [
    path("items/", views.ItemListApi.as_view(), name="api-items"),
    path("items/<str:code>/", views.ItemDetailApi.as_view(), name="api-item-detail"),
]
