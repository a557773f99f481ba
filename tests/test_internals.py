"""The private APIs the bulk writer relies on, against the installed versions."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.signals import post_init
from hypothesis import example, given, settings
from hypothesis import strategies as st
from taggit.models import Tag, TaggedItem
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.rich_text import get_text_for_indexing

from tests.factories import DraftFactory
from tests.testapp.models import Story
from wagtail_tagfeed import internals
from wagtail_tagfeed.cleaning import clean_summary
from wagtail_tagfeed.models import ArticlePage


def state(obj) -> dict:
    """An instance's attributes but its state and its new translation key."""
    return {
        name: value
        for name, value in vars(obj).items()
        if name not in ("_state", "translation_key")
    }


@pytest.mark.parametrize("model", [ArticlePage, Story], ids=lambda model: model.__name__)
def test_copies_are_what_the_constructor_makes(model, admin_user):
    draft = DraftFactory()
    values = {**draft.page_fields(), "slug": "a", "live": True, "owner": admin_user}
    copier = internals.Copier(model)
    assert copier.copies
    made, copied = model(**values), copier(**values)
    assert type(copied) is model
    assert state(copied) == state(made)
    assert copied.owner == admin_user and copied.content_type_id == made.content_type_id
    assert (copied._state.adding, copied._state.db) == (made._state.adding, made._state.db)


def test_copies_share_no_mutable_value(db):
    copier = internals.Copier(ArticlePage)
    first, second = copier(title="One"), copier(title="Two")
    assert (first.title, second.title) == ("One", "Two")
    assert first.translation_key != second.translation_key
    assert first.body is not second.body
    assert first.import_fingerprint is not second.import_fingerprint
    first.tags.add("turkey")
    assert list(second.tags.all()) == []
    assert first._state is not second._state


def test_revisions_are_copied_too(db):
    values = {"object_id": "7", "content": {"title": "A"}, "object_str": "A"}
    assert state(internals.Copier(Revision)(**values)) == state(Revision(**values))


def test_a_model_others_watch_being_made_is_made_by_its_constructor(db):
    made = []

    def receiver(sender, instance, **kwargs):
        made.append(instance)

    post_init.connect(receiver, sender=ArticlePage)
    try:
        copier = internals.Copier(ArticlePage)
        page = copier(title="Watched")
    finally:
        post_init.disconnect(receiver, sender=ArticlePage)
    assert not copier.copies
    assert made[-1] is page


def test_a_model_with_a_constructor_of_its_own_is_made_by_it(db):
    class Counted(ArticlePage):
        class Meta:
            proxy = True
            app_label = "wagtail_tagfeed"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.counted = True

    copier = internals.Copier(Counted)
    assert not copier.copies
    assert copier(title="Own").counted


def extracted(obj) -> list[tuple]:
    return sorted(ReferenceIndex._extract_references_from_object(obj))


def test_references_are_those_wagtail_extracts(admin_user, tag_index):
    tags = [Tag.objects.create(name=name) for name in ("turkey", "ferries")]
    page = ArticlePage(
        **{**DraftFactory().page_fields(), "summary": "", "body": None},
        slug="a",
        owner=admin_user,
        locked_by=admin_user,
    )
    page.summary = f'<p>See <a linktype="page" id="{tag_index.pk}">the index</a>.</p>'
    page.body = [("paragraph", f'<p><a linktype="page" id="{tag_index.pk}">x</a></p>')]
    page.tags.add(*tags)
    found = sorted(internals._extracted_references(page))
    assert found == extracted(page)
    # Users are not references Wagtail indexes.
    assert {row[2] for row in found} == {"summary.", "body.paragraph", "tagged_items.item.tag"}
    generic = TaggedItem(
        content_type=ContentType.objects.get_for_model(Page), object_id=tag_index.pk, tag=tags[0]
    )
    assert sorted(internals._extracted_references(generic)) == extracted(generic)
    assert "content_object" in {row[2] for row in extracted(generic)}


@pytest.mark.parametrize(
    "body",
    [[], [("paragraph", "<p>One</p>"), ("paragraph", "<p>Two &amp; “three”</p>")]],
    ids=["empty", "blocks"],
)
def test_stream_fields_are_serialised_and_prepared_as_wagtail_does(admin_user, body):
    page = ArticlePage(**{**DraftFactory().page_fields(), "body": body}, slug="a")
    page.owner = admin_user
    assert internals.serializable_data(page)["body"] == page.serializable_data()["body"]
    for name, value in (("body", page.body), ("date", page.date), ("title", page.title)):
        field = ArticlePage._meta.get_field(name)
        ours = internals.db_preparer(field, connection)(value)
        own = field.get_db_prep_save(value, connection)
        assert type(ours) is type(own), name
        assert getattr(ours, "obj", ours) == getattr(own, "obj", own), name
    assert "stream field values" not in " ".join(internals.problems())


PLAIN = [
    "<p>",
    "</p>",
    "<H2 >",
    "</h2>",
    "<ul>",
    "<li>",
    "</li>",
    "</blockquote>",
    "<br/>",
    "<hr />",
    '<a href="https://a.example/?x=1&amp;y=2" rel="nofollow">',
    "</a>",
    "&amp;",
    "&#39;",
    "&#X27;",
    "&hellip;",
    "&lt;p&gt;",
]
"""Pieces of the markup the importer's cleaning writes."""
UNUSUAL = [
    "<P>",
    "<hr>",
    "<a href='x'>",
    '<img alt="a > b">',
    '<b\nclass="x">',
    "&amp",
    "<!-- c -->",
    "<script>a<b</script>",
    "<title>x</title>",
    "<![CDATA[x]]>",
    "<",
    ">",
]
"""Pieces a parser reads otherwise than as tags and text."""
PLAIN_TEXT = st.text(alphabet=st.sampled_from([*"ab ;#x'\"=/\n\t", "é", "\xa0"]), max_size=8)
TEXT = st.text(alphabet=st.sampled_from([*"ab <>&;#x'\"=/\n", "é"]), max_size=8)


@given(st.lists(st.one_of(st.sampled_from(PLAIN + UNUSUAL), TEXT), max_size=20).map("".join))
@settings(max_examples=500, deadline=None)
@example('<h2>A &amp; B</h2><p>One<br/>two <a href="/x">&#39;three&#x27;</a></p>')
def test_text_for_indexing_is_wagtails(html):
    assert internals.text_for_indexing(html) == get_text_for_indexing(html)


def test_cleaned_summaries_are_read_without_the_parser(monkeypatch):
    html, _ = clean_summary(
        '<p onclick="x()">Tom &amp; <b>Jerry</b> <a href="/a?b=1&c=2">run</a></p>',
        "https://news.example/tag/turkey",
    )
    monkeypatch.setattr(internals, "get_text_for_indexing", None)
    assert internals.text_for_indexing(html) == "Tom & Jerry run"


@given(st.lists(st.one_of(st.sampled_from(PLAIN), PLAIN_TEXT), max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_plain_markup_is_read_without_the_parser_as_wagtail_reads_it(html):
    assert internals.PLAIN_MARKUP.fullmatch(html)
    assert internals.text_for_indexing(html) == get_text_for_indexing(html)
