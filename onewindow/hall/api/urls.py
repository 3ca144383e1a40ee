"""Hall API routes (DESIGN §4), mounted under /api/v1/."""

from django.urls import path

from onewindow.hall.api import views
from onewindow.hall.views.board import board_stream

urlpatterns = [
    path("hall/<int:center_id>/tickets/", views.TicketIssueApi.as_view(), name="api-hall-tickets"),
    path("hall/<int:center_id>/board/", views.BoardApi.as_view(), name="api-hall-board"),
    # The same Server-Sent Events stream as the board page's (served by the ASGI process); devices send
    # `Authorization: Token …`.
    path("hall/<int:center_id>/board/stream/", board_stream, name="api-hall-board-stream"),
    *(
        path(f"hall/windows/<int:window_id>/{slug}/", views.window_action_view(slug), name=f"api-hall-window-{slug}")
        for slug in views.WINDOW_ACTIONS
    ),
]
