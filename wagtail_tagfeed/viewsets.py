"""The "Tag feed" admin menu: the import screen, tag sources and import runs."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

try:
    from wagtail.permissions import register_permission_policy
except ImportError:  # Wagtail 7: the viewset's permission_policy is the only way.
    register_permission_policy = None

from . import views
from .forms import TagSourceForm, tag_index_chooser
from .listing import Selectors
from .models import ImportRun, TagSource
from .tasks import fail_abandoned_runs


class ImportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views.user_can_import(request.user)


class ImportViewSet(ViewSet):
    """The import screen: form, then preview."""

    name = "tagfeed_import"
    icon = "download"
    menu_label = gettext_lazy("Import")
    menu_item_class = ImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", views.ImportView.as_view(), name="index"),
            path("preview/<uuid:token>/", views.PreviewView.as_view(), name="preview"),
            path("image/<str:token>/", views.PreviewImageView.as_view(), name="image"),
        ]


def sync_button(source: TagSource, user, cls=ListingButton):
    if views.user_can_import(user):
        return cls(
            _("Sync now"),
            url=reverse("tagfeed_sources:sync", args=[source.pk]),
            icon_name="rotate",
            priority=15,
        )
    return None


class TagSourceIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        return [*buttons, *filter(None, [sync_button(instance, self.request.user)])]


class TagSourceEditView(generic.EditView):
    @cached_property
    def header_more_buttons(self):
        button = sync_button(self.object, self.request.user, cls=Button)
        return [*super().header_more_buttons, *filter(None, [button])]


class TagSourceViewSet(ModelViewSet):
    """Tag sources: listing pages imported again and again, with "Sync now"."""

    model = TagSource
    name = "tagfeed_sources"
    icon = "rotate"
    menu_label = gettext_lazy("Tag sources")
    index_view_class = TagSourceIndexView
    edit_view_class = TagSourceEditView
    copy_view_enabled = False
    list_display = [
        "name",
        "url",
        "parent",
        # By its label ("every hour"), which Wagtail 7.0 would not show for a duration.
        Column(
            "sync_interval",
            label=TagSource._meta.get_field("sync_interval").verbose_name,
            accessor="get_sync_interval_display",
        ),
        "enabled",
    ]
    list_filter = ["enabled"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("parent", widget=tag_index_chooser()),
            FieldPanel("tags"),
            FieldRowPanel(
                [FieldPanel("pages"), FieldPanel("sync_interval"), FieldPanel("enabled")]
            ),
            FieldRowPanel([FieldPanel("fetch_articles"), FieldPanel("download_images")]),
            FieldPanel("owner"),
            MultiFieldPanel(
                [FieldPanel(f"{name}_selector") for name in Selectors.names()],
                heading=gettext_lazy("Advanced: CSS selectors"),
                classname="collapsed",
            ),
        ],
        base_form_class=TagSourceForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("sync/<int:pk>/", views.SyncView.as_view(), name="sync"),
        ]


class ImportRunPermissionPolicy(ModelPermissionPolicy):
    """Import runs are read-only: whoever may import may view them, nobody may edit them."""

    def user_has_permission(self, user, action) -> bool:
        return action == "view" and user.is_active and user.has_perm(views.IMPORT_PERMISSION)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


class ImportRunIndexView(generic.IndexView):
    def get(self, request, *args, **kwargs):
        # Runs whose worker stopped show as failed, not as running for ever.
        fail_abandoned_runs()
        return super().get(request, *args, **kwargs)


class ImportRunViewSet(ModelViewSet):
    """A read-only record of every import: the listing, and each run's status and report."""

    model = ImportRun
    name = "tagfeed_runs"
    icon = "history"
    menu_label = gettext_lazy("Import runs")
    index_view_class = ImportRunIndexView
    inspect_view_enabled = True
    inspect_view_class = views.RunView
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "__str__",
        "status",
        "user",
        Column("created", label=gettext_lazy("Created")),
        Column("updated", label=gettext_lazy("Updated")),
        Column("unchanged", label=gettext_lazy("Unchanged")),
        Column("kept", label=gettext_lazy("Kept local edits")),
        Column("skipped", label=gettext_lazy("Skipped")),
        Column("failed", label=gettext_lazy("Failed")),
        "not_modified",
        "created_at",
    ]
    list_filter = ["status", "not_modified"]
    form_fields = []

    if register_permission_policy is None:

        @cached_property
        def permission_policy(self):
            return ImportRunPermissionPolicy(self.model)

    def get_permissions_to_register(self):
        return Permission.objects.none()


def register_policies() -> None:
    """Register the import runs' policy with Wagtail 8+, before the viewset is registered."""
    if register_permission_policy is not None:
        register_permission_policy(ImportRun, ImportRunPermissionPolicy(ImportRun))


class TagfeedViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Tag feed")
    menu_icon = "tag"
    menu_order = 250
    items = (ImportViewSet, TagSourceViewSet, ImportRunViewSet)
