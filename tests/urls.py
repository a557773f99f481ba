"""The example site's URLs, with wagtail-grapple's GraphQL endpoint at ``/graphql/`` and the
preview endpoint of a headless front end at ``/api/v2/page_preview/`` (docs/headless.md)."""

from django.contrib.contenttypes.models import ContentType
from django.urls import include, path
from grapple import urls as grapple_urls
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail_headless_preview.models import PagePreview

from example_site.urls import urlpatterns as site_urlpatterns


class PagePreviewAPIViewSet(PagesAPIViewSet):
    """The page a preview token stands for, as the pages endpoint gives a page."""

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        ["content_type", "token"]
    )

    def detail_view(self, request, pk):
        """``/api/v2/page_preview/<any id>/?content_type=…&token=…``"""
        return Response(self.get_serializer(self.get_object()).data)

    def get_object(self):
        app_label, model = self.request.GET["content_type"].split(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        preview = PagePreview.objects.get(
            content_type=content_type, token=self.request.GET["token"]
        )
        page = preview.as_page()
        if not page.pk:
            page.pk = 0  # a new page's preview
        return page


preview_router = WagtailAPIRouter("preview_api")
preview_router.register_endpoint("page_preview", PagePreviewAPIViewSet)

urlpatterns = [
    path("", include(grapple_urls)),
    path("api/v2/", preview_router.urls),
    *site_urlpatterns,
]
