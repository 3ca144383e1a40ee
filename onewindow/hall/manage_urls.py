"""The director's hall pages (statistics, tidal windows, planner), mounted at the site root."""

from django.urls import path

from onewindow.hall.views import devices, manage

urlpatterns = [
    path("hall/manage/", manage.hall_manage, name="hall-manage"),
    path("hall/<int:center_id>/stats/", manage.hall_stats, name="hall-stats"),
    path("hall/<int:center_id>/stats/xlsx/", manage.hall_stats_xlsx, name="hall-stats-xlsx"),
    path("hall/<int:center_id>/tidal/", manage.hall_tidal, name="hall-tidal"),
    path("hall/<int:center_id>/planner/", manage.hall_planner, name="hall-planner"),
    path("hall/<int:center_id>/devices/", devices.hall_devices, name="hall-devices"),
]
