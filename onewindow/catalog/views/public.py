"""Catalog pages: public (see urls.py)."""

urlpatterns = []
