"""ASGI entry point: serves the streaming endpoints (hall board) in a small separate process (DESIGN §6)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
application = get_asgi_application()
