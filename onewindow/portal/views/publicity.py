"""portal publicity pages"""

urlpatterns: list = []
