"""The private APIs the bulk writer relies on, against the installed versions."""

import pytest
from django.db.models.signals import post_init
from wagtail.models import Revision

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
