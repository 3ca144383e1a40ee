"""portal home pages"""

urlpatterns: list = []
