"""Routes of the hall's screens: the big board, the window displays, their data and the live stream.

onewindow/hall/urls.py puts them first in the "hall" namespace. The stream (`…/board/stream/`) is meant for
the ASGI process (docs/operations.md).
"""

from django.urls import path

from onewindow.hall.views import board

urlpatterns = [
    path("hall/<int:center_id>/board/", board.board_page, name="board"),
    path("hall/<int:center_id>/board.json", board.board_json, name="board-json"),
    path("hall/<int:center_id>/board/stream/", board.board_stream, name="board-stream"),
    path("hall/window/<int:window_id>/display/", board.window_display, name="window-display"),
]
