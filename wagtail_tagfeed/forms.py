"""Admin forms: the import screen and tag sources, both limited to indexes the user may add to."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from taggit.utils import parse_tags
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminPageChooser, AdminTagWidget
from wagtail.models import Page

from .conf import get_setting
from .models import AbstractTagIndexPage, TagIndexPage

WEB_URL = URLValidator(schemes=["http", "https"])


def tag_index_chooser() -> AdminPageChooser:
    return AdminPageChooser(target_models=[TagIndexPage], can_choose_root=False)


def check_tag_index(page: Page | None, user) -> AbstractTagIndexPage | None:
    """``page`` as a tag index the user may add articles to, or a ValidationError."""
    if page is None:
        return None
    specific = page.specific
    if not isinstance(specific, AbstractTagIndexPage):
        raise forms.ValidationError(_("Choose a tag index page."))
    if user is None or not specific.permissions_for_user(user).can_add_subpage():
        raise forms.ValidationError(_("You may not add pages below “%s”.") % specific.title)
    return specific


class SelectorFields(forms.Form):
    """The optional CSS selectors that override detection."""

    item = forms.CharField(label=_("Item selector"), required=False, max_length=500)
    title = forms.CharField(label=_("Title selector"), required=False, max_length=500)
    summary = forms.CharField(label=_("Summary selector"), required=False, max_length=500)
    date = forms.CharField(label=_("Date selector"), required=False, max_length=500)
    image = forms.CharField(label=_("Image selector"), required=False, max_length=500)
    next = forms.CharField(label=_("Next page selector"), required=False, max_length=500)


class ImportForm(SelectorFields):
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

    source_fields = ("url", "upload", "html", "base_url")
    main_fields = ("parent", "tags", "pages", "fetch_articles", "images")
    advanced_fields = ("item", "title", "summary", "date", "image", "next")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_parent(self):
        return check_tag_index(self.cleaned_data["parent"], self.user)

    def clean_pages(self) -> int:
        cap = get_setting("TAGFEED_MAX_PAGES")
        if self.cleaned_data["pages"] > cap:
            raise forms.ValidationError(_("Follow at most %d pages.") % cap)
        return self.cleaned_data["pages"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload and upload.size > get_setting("TAGFEED_MAX_BYTES"):
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
        return [self[name] for name in self.advanced_fields]

    def advanced_has_errors(self) -> bool:
        return any(name in self.errors for name in self.advanced_fields)

    def options(self) -> dict:
        """The JSON import options, without the source (which the view stashes)."""
        data = self.cleaned_data
        return {
            "tags": data["tags"],
            "pages": data["pages"],
            "fetch_articles": data["fetch_articles"],
            "images": data["images"],
            "selectors": {name: data[name] for name in self.advanced_fields if data[name]},
        }


class TagSourceForm(WagtailAdminModelForm):
    """A tag source's form: an http(s) URL and a tag index the user may add pages to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].validators.append(WEB_URL)

    def clean_parent(self):
        return check_tag_index(self.cleaned_data["parent"], self.for_user)
