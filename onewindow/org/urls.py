from django.urls import path

from onewindow.org.views import auth, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("accounts/login/", auth.StaffLoginView.as_view(), name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/password/", auth.password_change_view, name="password-change"),
    path("preferences/", pages.ui_preferences, name="ui-preferences"),
    path("notifications/", pages.notifications, name="notifications"),
    path("windows/", pages.window_list, name="window-list"),
    path("windows/<int:window_id>/toggle/", pages.window_toggle, name="window-toggle"),
]
