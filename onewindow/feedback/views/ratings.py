"""feedback ratings pages"""

urlpatterns: list = []
