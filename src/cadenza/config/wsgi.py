"""The WSGI entry point, for installs that send pages to a WSGI server (DESIGN section 6)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadenza.config.settings")
application = get_wsgi_application()
