"""Catalog pages: documents (see urls.py)."""

urlpatterns = []
