"""portal applications pages"""

urlpatterns: list = []
