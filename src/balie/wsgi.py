"""WSGI entry point, for tools that want one; Balie serves over ASGI (`balie serve`)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
application = get_wsgi_application()
