"""feedback supervision pages"""

urlpatterns: list = []
