"""feedback rectification pages"""

urlpatterns: list = []
