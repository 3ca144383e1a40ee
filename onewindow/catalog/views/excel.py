"""Catalog pages: excel (see urls.py)."""

urlpatterns = []
