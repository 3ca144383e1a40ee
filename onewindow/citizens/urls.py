from onewindow.citizens.views import account

app_name = "citizens"

urlpatterns = [*account.urlpatterns]
