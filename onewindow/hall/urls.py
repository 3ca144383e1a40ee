"""Hall pages (mounted at "/"): each module declares its own `urlpatterns`, concatenated here. The screens
(board_urls) go first so that hall/window/<id>/display/ is not taken for a window-console action."""

from onewindow.hall import board_urls
from onewindow.hall.views import appointments, kiosk, mobile, window

app_name = "hall"

urlpatterns = [
    *board_urls.urlpatterns,
    *kiosk.urlpatterns,
    *mobile.urlpatterns,
    *appointments.urlpatterns,
    *window.urlpatterns,
]
