"""Admin views: import (form, preview, import), tag-source sync, and an import run's status.

Every view needs the ``wagtail_tagfeed.import_tagpage`` permission and add permission on
the chosen tag index; the import itself is :func:`~.importer.import_tagpage`, run by the
task in :mod:`.tasks`.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from .errors import TagfeedError
from .forms import ImportForm, check_tag_index
from .listing import Listing
from .models import ImportRun, TagSource
from .tasks import discard_stash, import_with_options, queue_import, queue_sync, stash_html

IMPORT_PERMISSION = "wagtail_tagfeed.import_tagpage"
SESSION_KEY = "tagfeed_previews"
KEPT_PREVIEWS = 5
"""Previews kept per session; older ones (and their stashed HTML) are dropped."""


def user_can_import(user) -> bool:
    return user.is_active and user.has_perm(IMPORT_PERMISSION)


def allowed_parent(page: Page | None, user):
    """The tag index if ``user`` may add pages below it; PermissionDenied otherwise."""
    try:
        parent = check_tag_index(page, user)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from error
    if parent is None:
        raise PermissionDenied(_("The tag index no longer exists."))
    return parent


class TitledMixin(WagtailAdminTemplateMixin):
    """Wagtail's admin header with the page's title as the last breadcrumb."""

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]


class ImportPermissionMixin:
    """Answers 403, rather than redirecting to the dashboard, to users who may not import."""

    def dispatch(self, request, *args, **kwargs):
        try:
            if not user_can_import(request.user):
                raise PermissionDenied
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as error:
            return permission_denied(request, error)


def run_url(run: ImportRun) -> str:
    return reverse("tagfeed_runs:inspect", args=[run.pk])


def preview_rows(listings: list[Listing], outcomes: dict[str, str]) -> list[dict]:
    """One row per item the import would touch, in the order it would touch them."""
    rows, seen = [], set()
    for listing in listings:
        for item in listing.items:
            if item.url in seen or item.url not in outcomes:
                continue
            seen.add(item.url)
            rows.append(
                {
                    "url": item.url,
                    "title": item.title,
                    "date": item.published.isoformat() if item.published else "",
                    "summary": Truncator(item.summary_text).words(30),
                    "image": item.image or "",
                    "outcome": outcomes[item.url],
                }
            )
    return rows


class ImportView(ImportPermissionMixin, TitledMixin, FormView):
    """Step 1: what to import; a valid form is read (nothing written) and previewed."""

    form_class = ImportForm
    template_name = "wagtail_tagfeed/admin/import_form.html"
    page_title = gettext_lazy("Import a tag-listing page")
    header_icon = "download"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            media=context["form"].media,
            action_url=reverse("tagfeed_import:index"),
            submit_button_label=_("Preview"),
            submit_button_active_label=_("Reading…"),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        options = form.options()
        if data["url"]:
            options["source"], label = {"url": data["url"]}, data["url"]
        else:
            content = data["upload"].read() if data["upload"] else data["html"].encode()
            options["source"] = {"file": stash_html(content), "base_url": data["base_url"]}
            label = data["upload"].name if data["upload"] else _("pasted HTML")
        listings: list[Listing] = []
        try:
            report = import_with_options(
                options,
                parent=data["parent"],
                user=self.request.user,
                dry_run=True,
                on_listing=listings.append,
            )
        except TagfeedError as error:
            discard_stash(options)
            form.add_error(None, str(error))
            return self.form_invalid(form)
        outcomes = {result.url: str(result.outcome) for result in report.results}
        preview = {
            "options": options,
            "parent": data["parent"].pk,
            "label": label,
            "tags": list(report.tags),
            "heading": listings[0].heading if listings else "",
            "pages_read": list(report.pages_read),
            "next_page": listings[-1].next_page if listings else None,
            "rows": preview_rows(listings, outcomes),
        }
        token = self.store(preview)
        return HttpResponseRedirect(reverse("tagfeed_import:preview", args=[token]))

    def store(self, preview: dict) -> str:
        previews = self.request.session.get(SESSION_KEY, {})
        token = uuid.uuid4().hex
        previews[token] = preview
        while len(previews) > KEPT_PREVIEWS:
            discard_stash(previews.pop(next(iter(previews)))["options"])
        self.request.session[SESSION_KEY] = previews
        return token


class PreviewView(ImportPermissionMixin, TitledMixin, TemplateView):
    """Step 2: the items read, each ticked; importing queues a run of the ticked ones."""

    template_name = "wagtail_tagfeed/admin/import_preview.html"
    page_title = gettext_lazy("Preview the import")
    header_icon = "download"

    def dispatch(self, request, *args, token: str, **kwargs):
        self.token = token
        return super().dispatch(request, *args, **kwargs)

    @property
    def preview(self) -> dict:
        preview = self.request.session.get(SESSION_KEY, {}).get(self.token)
        if preview is None:
            raise Http404(_("This preview has expired; start the import again."))
        return preview

    def get_context_data(self, **kwargs):
        preview = self.preview
        parent = Page.objects.filter(pk=preview["parent"]).first()
        return super().get_context_data(
            preview=preview,
            parent=parent,
            action_url=reverse("tagfeed_import:preview", args=[self.token]),
            back_url=reverse("tagfeed_import:index"),
            **{"ticked": {row["url"] for row in preview["rows"]}, **kwargs},
        )

    def post(self, request, *args, **kwargs):
        preview = self.preview
        parent = allowed_parent(Page.objects.filter(pk=preview["parent"]).first(), request.user)
        ticked = set(request.POST.getlist("items"))
        urls = [row["url"] for row in preview["rows"]]
        if not ticked & set(urls):
            messages.error(request, _("Tick at least one item to import."))
            return self.render_to_response(self.get_context_data(ticked=ticked))
        options = {**preview["options"], "exclude": [url for url in urls if url not in ticked]}
        run = queue_import(options, parent=parent, user=request.user, label=preview["label"])
        previews = request.session[SESSION_KEY]
        previews.pop(self.token)
        request.session[SESSION_KEY] = previews
        return HttpResponseRedirect(run_url(run))


class SyncView(ImportPermissionMixin, TitledMixin, TemplateView):
    """ "Sync now" for a tag source: a confirmation, then a queued run of its page."""

    template_name = "wagtail_tagfeed/admin/sync_confirm.html"
    header_icon = "rotate"

    def dispatch(self, request, *args, pk, **kwargs):
        self.source = get_object_or_404(TagSource, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Sync “%(name)s”") % {"name": self.source}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            source=self.source,
            action_url=reverse("tagfeed_sources:sync", args=[self.source.pk]),
            back_url=reverse("tagfeed_sources:index"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        allowed_parent(self.source.parent, request.user)
        return HttpResponseRedirect(run_url(queue_sync(self.source, user=request.user)))


class RunView(ImportPermissionMixin, InspectView):
    """An import run: its status while queued or running (refreshing itself), then its report."""

    template_name = "wagtail_tagfeed/admin/run.html"
    refresh_seconds = 2

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        results = run.report.get("results", [])
        pages = Page.objects.in_bulk([r["page_id"] for r in results if r.get("page_id")])
        rows = []
        for result in results:
            page = pages.get(result.get("page_id"))
            rows.append(
                {
                    **result,
                    "edit_url": page and reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    "view_url": page and page.live and page.url,
                }
            )
        context.update(
            run=run,
            rows=rows,
            finished=run.status in (ImportRun.Status.SUCCEEDED, ImportRun.Status.FAILED),
            refresh_seconds=self.refresh_seconds,
        )
        return context
