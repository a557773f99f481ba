"""The example site's URLs, with wagtail-grapple's GraphQL endpoint at ``/graphql/``."""

from django.urls import include, path
from grapple import urls as grapple_urls

from example_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("", include(grapple_urls)), *site_urlpatterns]
