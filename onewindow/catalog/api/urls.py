"""Catalog API: public item list and guide (DESIGN §4)."""

urlpatterns = []
