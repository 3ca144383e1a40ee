"""Catalog pages: staff (see urls.py)."""

urlpatterns = []
