"""Citizen sign-in (SMS code, unified identity), sign-out and profile."""

urlpatterns: list = []
