"""The example site's URLs with its media files served, for the browser tests' live server."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from example_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
