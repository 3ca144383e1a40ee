"""Catalog URLs: each views module declares its own urlpatterns (public guides, staff screens,
generated documents, Excel import/export)."""

from onewindow.catalog.views import documents, excel, public, staff

app_name = "catalog"

urlpatterns = [*public.urlpatterns, *staff.urlpatterns, *documents.urlpatterns, *excel.urlpatterns]
