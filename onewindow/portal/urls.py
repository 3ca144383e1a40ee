"""The public portal: home, online application and my cases, result publicity, the self-service terminal."""

from onewindow.portal.views import applications, home, publicity

app_name = "portal"

urlpatterns = [*home.urlpatterns, *applications.urlpatterns, *publicity.urlpatterns]
