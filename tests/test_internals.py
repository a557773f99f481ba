"""The private APIs the bulk writer relies on, against the installed versions."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_init
from taggit.models import Tag, TaggedItem
from wagtail.models import Page, ReferenceIndex, Revision

from tests.factories import DraftFactory
from tests.testapp.models import Story
from wagtail_tagfeed import internals
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
