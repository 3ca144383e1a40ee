"""feedback figures pages"""

urlpatterns: list = []
