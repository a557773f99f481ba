"""Admin views: import (form, preview, import), tag-source sync, and an import run's status.

Every view needs the ``wagtail_tagfeed.import_tagpage`` permission and add permission on
the chosen tag index. The preview reads the listing (never the article pages or images),
keeps what it read on the server for its editor, and the import writes exactly that, in a
background run (:mod:`.tasks`) with the editor's rights.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from .conf import get_setting
from .errors import RunPendingError, TagfeedError
from .fetching import fetch_bytes
from .forms import ImportForm, check_tag_index
from .images import validate
from .importer import Reading, import_listings, read_listings
from .listing import Document, ImportReport, Listing
from .models import ImportPreview, ImportRun, TagSource
from .options import ImportOptions
from .tasks import fail_abandoned_runs, queue_import, queue_sync

IMPORT_PERMISSION = "wagtail_tagfeed.import_tagpage"
IMAGE_SALT = "wagtail_tagfeed.preview-image"
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


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


def image_url(url: str) -> str:
    """The preview's address for a remote image: fetched and checked by the server."""
    token = signing.dumps(url, salt=IMAGE_SALT, compress=True)
    return reverse("tagfeed_import:image", args=[token])


def preview_rows(reading: Reading, report: ImportReport) -> list[dict]:
    """One row per item the import would touch, in the order it would touch them."""
    results = {result.url: result for result in report.results}
    rows, seen = [], set()
    for listing in reading.listings:
        for item in listing.items:
            result = results.get(item.url)
            if item.url in seen or result is None:
                continue
            seen.add(item.url)
            rows.append(
                {
                    "url": item.url,
                    "title": result.title,
                    "date": item.published.isoformat() if item.published else "",
                    "summary": Truncator(item.summary_text).words(30),
                    "image": image_url(item.image) if item.image else "",
                    "outcome": str(result.outcome),
                    "reason": result.reason,
                }
            )
    return rows


def expired_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=get_setting("TAGFEED_PREVIEW_MAX_AGE"))


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
        options = form.import_options()
        if data["url"]:
            source = label = data["url"]
        else:
            upload = data["upload"]
            label = upload.name if upload else _("pasted HTML")
            content = upload.read() if upload else data["html"].encode()
            source = Document(content=content, source=label, url=options.base_url)
        try:
            reading = read_listings([source], options)
            report = import_listings(
                reading,
                parent=data["parent"],
                options=options,
                user=self.request.user,
                dry_run=True,
            )
        except TagfeedError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        ImportPreview.objects.filter(created_at__lt=expired_before()).delete()
        preview = ImportPreview.objects.create(
            user=self.request.user,
            parent=data["parent"],
            label=label,
            options=options.as_json(),
            listings=[listing.as_json() for listing in reading.listings],
            rows=preview_rows(reading, report),
        )
        for warning in reading.warnings:
            messages.warning(self.request, warning)
        return HttpResponseRedirect(reverse("tagfeed_import:preview", args=[preview.pk]))


class PreviewView(ImportPermissionMixin, TitledMixin, TemplateView):
    """Step 2: the items read, each ticked; importing queues a run of the ticked ones."""

    template_name = "wagtail_tagfeed/admin/import_preview.html"
    page_title = gettext_lazy("Preview the import")
    header_icon = "download"

    def dispatch(self, request, *args, token, **kwargs):
        self.token = token
        return super().dispatch(request, *args, **kwargs)

    def get_preview(self) -> ImportPreview:
        preview = ImportPreview.objects.filter(
            pk=self.token, user=self.request.user, created_at__gte=expired_before()
        ).first()
        if preview is None:
            raise Http404(_("This preview has expired; start the import again."))
        return preview

    def get_context_data(self, **kwargs):
        preview = self.get_preview()
        listings = [Listing.from_json(data) for data in preview.listings]
        tags = list(ImportOptions.from_json(preview.options).tags) or list(
            dict.fromkeys(listing.tag for listing in listings if listing.tag)
        )
        context = {
            "preview": preview,
            "parent": preview.parent,
            "tags": tags,
            "heading": listings[0].heading if listings else "",
            "pages_read": len(listings),
            "next_page": listings[-1].next_page if listings else None,
            "action_url": reverse("tagfeed_import:preview", args=[self.token]),
            "back_url": reverse("tagfeed_import:index"),
            "ticked": {row["url"] for row in preview.rows},
        }
        return super().get_context_data(**{**context, **kwargs})

    def post(self, request, *args, **kwargs):
        preview = self.get_preview()
        parent = allowed_parent(preview.parent, request.user)
        ticked = set(request.POST.getlist("items"))
        if not ticked & {row["url"] for row in preview.rows}:
            messages.error(request, _("Tick at least one item to import."))
            return self.render_to_response(self.get_context_data(ticked=ticked))
        listings = []
        for data in preview.listings:
            listing = Listing.from_json(data)
            items = tuple(item for item in listing.items if item.url in ticked)
            if items:
                listings.append(Listing(**{**vars(listing), "items": items}))
        run = queue_import(
            ImportOptions.from_json(preview.options),
            parent=parent,
            user=request.user,
            listings=listings,
            label=preview.label,
        )
        preview.delete()
        return HttpResponseRedirect(run_url(run))


class PreviewImageView(ImportPermissionMixin, View):
    """A remote image of a preview, fetched by the server with the importer's address checks,
    so that the editor's browser never requests what the server would refuse."""

    def get(self, request, token: str):
        try:
            url = signing.loads(
                token, salt=IMAGE_SALT, max_age=get_setting("TAGFEED_PREVIEW_MAX_AGE")
            )
        except signing.BadSignature as error:
            raise Http404 from error
        policy = ImportOptions.from_settings().fetch
        try:
            response = fetch_bytes(url, policy=policy, max_bytes=policy.max_image_bytes)
            image = validate(url, response.content, policy.max_image_pixels)
        except TagfeedError as error:
            raise Http404(error.reason) from error
        answer = HttpResponse(image.content, content_type=IMAGE_TYPES[image.extension])
        answer["Cache-Control"] = "private, max-age=3600"
        answer["X-Content-Type-Options"] = "nosniff"
        answer["Content-Security-Policy"] = "default-src 'none'"
        return answer


class SyncView(ImportPermissionMixin, TitledMixin, TemplateView):
    """ "Sync now" for a tag source: a confirmation, then a queued run of its page.

    A source whose tag index the user may not import into answers 404, like a missing one.
    """

    template_name = "wagtail_tagfeed/admin/sync_confirm.html"
    header_icon = "rotate"

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.source = TagSource.objects.select_related("parent").filter(pk=pk).first()
        if self.source is not None and request.user.is_active:
            try:
                check_tag_index(self.source.parent, request.user)
            except ValidationError:
                self.source = None
        if self.source is None:
            raise Http404(_("No such tag source."))
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
        fail_abandoned_runs()
        try:
            run = queue_sync(self.source, user=request.user)
        except RunPendingError as error:
            # The run under way is the one to watch.
            messages.warning(request, str(error))
            run = self.source.runs.first()
        return HttpResponseRedirect(run_url(run))


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
                    "title": page.draft_title if page else result["title"],
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
