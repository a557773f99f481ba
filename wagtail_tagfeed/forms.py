"""Admin forms: the import screen and tag sources, both limited to indexes the user may add to."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from taggit.utils import parse_tags
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminPageChooser, AdminTagWidget
from wagtail.models import Page

from .importer import tag_index_models
from .listing import Selectors
from .models import AbstractTagIndexPage
from .options import ImportOptions

WEB_URL = URLValidator(schemes=["http", "https"])

SELECTOR_LABELS = {
    "item": _("Item selector"),
    "title": _("Title selector"),
    "summary": _("Summary selector"),
    "date": _("Date selector"),
    "image": _("Image selector"),
    "next": _("Next page selector"),
}


def tag_index_chooser() -> AdminPageChooser:
    return AdminPageChooser(target_models=tag_index_models(), can_choose_root=False)


def check_tag_index(page: Page | None, user) -> AbstractTagIndexPage | None:
    """``page`` as a tag index the user may add articles to, or a ValidationError."""
    if page is None:
        return None
    specific = page.specific
    if not isinstance(specific, AbstractTagIndexPage):
        raise forms.ValidationError(_("Choose a tag index page."))
    if user is None or not specific.permissions_for_user(user).can_add_subpage():
        raise forms.ValidationError(
            _("You may not add pages below “%(title)s”.") % {"title": specific.title}
        )
    return specific


def selector_fields() -> dict[str, forms.Field]:
    """One optional field per CSS selector that overrides detection."""
    return {
        name: forms.CharField(label=SELECTOR_LABELS[name], required=False, max_length=500)
        for name in Selectors.names()
    }


class ImportForm(forms.Form):
    """What to import (a URL, an HTML file or pasted HTML), where, and how."""

    url = forms.CharField(
        label=_("URL of the tag-listing page"),
        required=False,
        validators=[WEB_URL],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    upload = forms.FileField(
        label=_("or an HTML file"), required=False, widget=forms.ClearableFileInput()
    )
    html = forms.CharField(
        label=_("or pasted HTML"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    base_url = forms.CharField(
        label=_("Address of the file or pasted page"),
        required=False,
        validators=[WEB_URL],
        help_text=_("Resolves the page's relative links; not needed for a URL."),
    )
    parent = forms.ModelChoiceField(
        label=_("Tag index"),
        queryset=Page.objects.all(),
        widget=tag_index_chooser(),
        help_text=_("The articles are created below this page."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        widget=AdminTagWidget(),
        help_text=_("Empty: the tag named on the page."),
    )
    pages = forms.IntegerField(
        label=_("Pages to follow"),
        min_value=1,
        initial=1,
        help_text=_("Follow the listing's “next page” links up to this many pages."),
    )
    fetch_articles = forms.BooleanField(
        label=_("Fetch full articles"),
        required=False,
        help_text=_("Read each article's own page into the body, with its author and date."),
    )
    images = forms.BooleanField(
        label=_("Download images"),
        required=False,
        help_text=_("Store teaser and body images in the image library."),
    )
    draft = forms.BooleanField(
        label=_("Import as drafts"),
        required=False,
        help_text=_("Create and update pages without publishing them."),
    )

    source_fields = ("url", "upload", "html", "base_url")
    main_fields = ("parent", "tags", "pages", "fetch_articles", "images", "draft")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields.update(selector_fields())
        self.limits = ImportOptions.from_settings()
        if not self.is_bound and user is not None:
            choices = self.allowed_indexes()
            if len(choices) == 1:
                self.initial.setdefault("parent", choices[0].pk)

    def allowed_indexes(self) -> list[AbstractTagIndexPage]:
        """The tag indexes the user may import into (at most a few are looked at)."""
        indexes = Page.objects.type(*tag_index_models()).specific().order_by("path")[:20]
        return [
            index for index in indexes if index.permissions_for_user(self.user).can_add_subpage()
        ]

    def clean_parent(self):
        return check_tag_index(self.cleaned_data["parent"], self.user)

    def clean_pages(self) -> int:
        if self.cleaned_data["pages"] > self.limits.max_pages:
            raise forms.ValidationError(
                _("Follow at most %(count)d pages.") % {"count": self.limits.max_pages}
            )
        return self.cleaned_data["pages"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload and upload.size > self.limits.max_bytes:
            raise forms.ValidationError(_("The file is larger than the import size limit."))
        return upload

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data["tags"])

    def clean(self):
        cleaned = super().clean()
        given = [name for name in ("url", "upload", "html") if cleaned.get(name)]
        if len(given) != 1 and not self.errors.keys() & {"url", "upload"}:
            raise forms.ValidationError(_("Give one source: a URL, an HTML file, or pasted HTML."))
        return cleaned

    def source_fields_bound(self):
        return [self[name] for name in self.source_fields]

    def main_fields_bound(self):
        return [self[name] for name in self.main_fields]

    def advanced_fields_bound(self):
        return [self[name] for name in Selectors.names()]

    def advanced_has_errors(self) -> bool:
        return any(name in self.errors for name in Selectors.names())

    def import_options(self) -> ImportOptions:
        """The import's options: the form's choices under the site's settings."""
        data = self.cleaned_data
        return ImportOptions.from_settings(
            base_url=data["base_url"] or None,
            tags=tuple(data["tags"]),
            pages=data["pages"],
            fetch_articles=data["fetch_articles"],
            images=data["images"],
            draft=data["draft"],
            selectors=Selectors.from_json(data),
        )


class BaseTagSourceForm(WagtailAdminModelForm):
    """A tag source: an http(s) URL, a tag index the user may add pages to, and selectors.

    The selectors are edited as fields of their own (``<name>_selector``) and stored together;
    the user who creates a source is responsible for it: scheduled syncs act with their rights.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].validators.append(WEB_URL)
        for name in Selectors.names():
            self.fields[f"{name}_selector"].initial = (self.instance.selectors or {}).get(name)

    def clean_parent(self):
        return check_tag_index(self.cleaned_data["parent"], self.for_user)

    def save(self, commit=True):
        self.instance.selectors = Selectors.from_json(
            {name: self.cleaned_data.get(f"{name}_selector") for name in Selectors.names()}
        ).as_json()
        if self.instance.owner_id is None and self.for_user is not None:
            self.instance.owner = self.for_user
        return super().save(commit=commit)


TagSourceForm = type(
    "TagSourceForm",
    (BaseTagSourceForm,),
    {
        "__module__": __name__,
        **{f"{name}_selector": field for name, field in selector_fields().items()},
    },
)
