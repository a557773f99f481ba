"""The private Wagtail, Django and treebeard APIs the bulk writer relies on, and nothing else.

Writing a few hundred pages in a few queries means doing what ``add_child``, the search and
reference index signal handlers and treebeard do, without calling them page by page. The
handful of private functions that takes is used only here; :func:`problems` checks each
against the installed versions the first time the bulk path is chosen. When a check fails,
:mod:`~wagtail_tagfeed.writing` falls back to Wagtail's standard calls, with a warning.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from html import unescape
from types import SimpleNamespace

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRel
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    EmailField,
    Field,
    IntegerField,
    Manager,
    Model,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SlugField,
    SmallIntegerField,
    TextField,
    URLField,
)
from django.db.models.base import ModelState
from django.db.models.fields.related import RelatedField
from django.db.models.signals import post_init, pre_init
from django.dispatch import Signal
from django.utils.encoding import force_str
from modelcluster.fields import ParentalKey
from modelcluster.models import (
    ClusterableModel,
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_field_value,
)
from taggit.managers import TaggableManager
from wagtail.blocks import CharBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, ReferenceIndex, RevisionMixin
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index


def path_step(path: str) -> int:
    """The position of a page among its siblings, from the last step of its tree path."""
    return Page._str2int(path[-Page.steplen :])


def child_path(parent_path: str, depth: int, step: int) -> str:
    """The tree path of the ``step``-th child (counting from 1) of the page at ``parent_path``."""
    return Page._get_path(parent_path, depth, step)


def max_children() -> int:
    """How many children one page can have in treebeard's path encoding."""
    return len(Page.alphabet) ** Page.steplen


PLAIN_MARKUP = re.compile(
    r"""(?>
        [^<>&]+
      | &(?:[a-zA-Z][-.a-zA-Z0-9]*|\#[0-9]+|\#[xX][0-9a-fA-F]+);
      | </?[a-zA-Z][a-zA-Z0-9]*(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*\s*/?>
    )*""",
    re.VERBOSE,
)
"""Markup of tags with double-quoted attributes, text without ``<`` or ``>``, and complete
entity and character references: the parser drops exactly its tags and keeps the rest."""

RAW_TEXT = re.compile(
    r"<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b", re.I
)
"""Elements whose content a parser may read as text rather than markup."""

TAG = re.compile(r"<[^>]*>")
BLOCK_END = re.compile(r"(</(p|h\d|li|blockquote)>)", re.IGNORECASE)
BREAK = re.compile(r"(<(br|hr)\s*/>)", re.IGNORECASE)


def text_for_indexing(richtext: str) -> str:
    """``wagtail.rich_text.get_text_for_indexing(richtext)``: the text of rich text, with a
    space after each block, read with a regular expression where the markup is plain.

    Wagtail runs Python's HTML parser twice over each value; markup made only of plain tags,
    text and references (what the importer's cleaning writes) loses exactly its tags.
    """
    if not PLAIN_MARKUP.fullmatch(richtext) or RAW_TEXT.search(richtext):
        return get_text_for_indexing(richtext)
    spaced = BREAK.sub(r"\1 ", BLOCK_END.sub(r"\1 ", richtext))
    return unescape(TAG.sub("", spaced).strip())


def references(obj: Model) -> Iterator[tuple[int, str, str, str, uuid.UUID]]:
    """Reference index rows of an unsaved object: (to type, to id, model path, content path,
    content path hash), each once, as ``ReferenceIndex.create_or_update_for_object`` finds them.
    """
    for to_type, to_id, model_path, content_path in set(_extracted_references(obj)):
        yield to_type, to_id, model_path, content_path, content_path_hash(content_path)


def _extracted_references(obj: Model) -> Iterator[tuple[int, str, str, str]]:
    """``ReferenceIndex._extract_references_from_object(obj)``, with the model's fields sorted
    out once (which are references, which hold some, which are skipped) instead of for every
    object."""
    base_type = ReferenceIndex._get_base_content_type
    fields, relations = _reference_fields(type(obj))
    for kind, field in fields:
        value = field.value_from_object(obj) if kind is not GENERIC_REFERENCE else None
        if kind is REFERENCE and value is not None:
            yield base_type(field.related_model).id, str(value), field.name, field.name
        elif kind is GENERIC_REFERENCE:
            content_type = obj._meta.get_field(field.ct_field).value_from_object(obj)
            key = obj._meta.get_field(field.fk_field).value_from_object(obj)
            if content_type is not None and key is not None:
                model = ContentType.objects.get_for_id(content_type).model_class()
                yield base_type(model).id, str(key), field.name, field.name
        elif kind is EXTRACTS and value is not None:
            for to_model, to_id, model_path, content_path in field.extract_references(value):
                name = field.name
                yield (
                    base_type(to_model).id,
                    to_id,
                    f"{name}.{model_path}",
                    f"{name}.{content_path}",
                )
    for relation in relations:
        for child in getattr(obj, relation).all():
            yield from (
                (to_type, to_id, f"{relation}.item.{model_path}", f"{relation}.{child.pk}.{path}")
                for to_type, to_id, model_path, path in _extracted_references(child)
            )


REFERENCE, GENERIC_REFERENCE, EXTRACTS = "reference", "generic reference", "extracts"
"""How a field gives references: its value (a foreign key), its content type and key (a
generic foreign key), or its ``extract_references`` (rich text, streams)."""


@functools.cache
def _reference_fields(model: type[Model]) -> tuple[tuple[tuple[object, Field], ...], tuple]:
    """What ``_extract_references_from_object`` reads of a ``model`` instance, in its order:
    each field with how it gives references, and the names of the child relations."""
    fields = []
    for field in model._meta.get_fields():
        if field.is_relation and field.many_to_one:
            if (
                getattr(field, "wagtail_reference_index_ignore", False)
                or getattr(field.related_model, "wagtail_reference_index_ignore", False)
                or isinstance(field, ParentalKey | GenericRel)
            ):
                continue
            if isinstance(field, GenericForeignKey):
                fields.append((GENERIC_REFERENCE, field))
                continue
            fields.append((REFERENCE, field))
        if hasattr(field, "extract_references"):
            fields.append((EXTRACTS, field))
    relations = (
        tuple(relation.get_accessor_name() for relation in get_all_child_relations(model))
        if issubclass(model, ClusterableModel)
        else ()
    )
    return tuple(fields), relations


def content_path_hash(content_path: str) -> uuid.UUID:
    return ReferenceIndex._get_content_path_hash(content_path)


@contextmanager
def search_values_once(objs: Iterable[index.Indexed]) -> Iterator[None]:
    """While in the block, the objects give their search backends each field's value
    computed once.

    The database backends' indexers read every search field of an object once for each part
    of its entry (title, body, autocomplete and, on PostgreSQL, plain title and body): rich
    text is stripped of its tags three to five times, related objects are listed as many
    times, and every filter field is looked at each time for nothing. They read the fields
    through the object's ``get_search_fields()``: in the block each object has its own list,
    of the search and autocomplete fields an indexer reads values of, its related objects'
    in their place, whose ``get_value`` returns what the field gave on entering. Other
    backends (Elasticsearch) read the model's fields, not the object's.
    """
    objs = list(objs)
    for obj in objs:
        fields = list(_valued_fields(obj, obj.get_search_fields(), obj))
        obj.get_search_fields = functools.partial(list, fields)
    try:
        yield
    finally:
        for obj in objs:
            del obj.get_search_fields


def _valued_fields(obj, fields, owner) -> Iterator[index.SearchField | index.AutocompleteField]:
    """The search and autocomplete fields of ``obj`` and of its related objects, in the order
    an indexer reads them, each giving its value for ``obj`` when asked for ``owner``'s."""
    for field in fields:
        if isinstance(field, index.SearchField | index.AutocompleteField):
            yield _frozen(field, _search_value(field, obj), owner)
        elif isinstance(field, index.RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            if isinstance(related, Manager):
                related = related.all()
            else:
                related = [related() if callable(related) else related]
            for item in related:
                yield from _valued_fields(item, field.fields, owner)


PLAIN_SEARCH_FIELDS = (CharField, TextField, SlugField, URLField, EmailField)
"""Model fields whose search value is their attribute (no searchable content of their own,
not related): exactly these classes, not subclasses."""


def _search_value(field: index.SearchField | index.AutocompleteField, obj):
    """``field.get_value(obj)``, read directly for plain text fields and for fields with
    searchable content of their own (rich text, streams), as ``get_value`` reads them; that of
    rich text through :func:`text_for_indexing`."""
    try:
        model_field = obj._meta.get_field(field.field_name)
    except FieldDoesNotExist:
        return field.get_value(obj)
    if type(model_field) in PLAIN_SEARCH_FIELDS:
        return model_field.value_from_object(obj)
    if type(model_field).get_searchable_content is _RICH_TEXT_CONTENT:
        return [text_for_indexing(force_str(model_field.value_from_object(obj)))]
    if hasattr(model_field, "get_searchable_content") and not isinstance(
        model_field, TaggableManager | RelatedField
    ):
        return model_field.get_searchable_content(model_field.value_from_object(obj))
    return field.get_value(obj)


_RICH_TEXT_CONTENT = RichTextField.get_searchable_content


def _frozen(field, value, owner):
    """A copy of ``field`` whose value for ``owner`` is ``value``."""
    own = field.get_value
    frozen = object.__new__(type(field))
    frozen.__dict__.update(field.__dict__)
    frozen.get_value = lambda of: value if of is owner else own(of)
    return frozen


def serializable_data(obj: ClusterableModel) -> dict:
    """``obj.serializable_data()``, what a revision stores, with its plain values read
    directly.

    modelcluster serialises every field through its ``pre_save`` and ``value_to_string``;
    for text, numbers and booleans of Django's plain fields that gives the attribute itself,
    so only the other fields (JSON, UUIDs, dates, stream and rich text) go that way. A model
    that serialises itself otherwise than Wagtail's revisions and modelcluster do is
    serialised its own way.
    """
    if type(obj).serializable_data is not _REVISION_DATA:
        return obj.serializable_data()
    data = _fields_data(obj)
    for name, related_model in _child_relations(type(obj)):
        children = getattr(obj, name).all()
        if hasattr(related_model, "serializable_data"):
            data[name] = [child.serializable_data() for child in children]
        else:
            data[name] = [_fields_data(child) for child in children]
    for field in _child_m2m_fields(type(obj)):
        if field.serialize:
            data[field.name] = [child.pk for child in getattr(obj, field.name).all()]
    return data


_REVISION_DATA = RevisionMixin.serializable_data

PLAIN_VALUES = frozenset({str, int, bool, type(None)})
"""Types of values that modelcluster serialises as they are, for :data:`PLAIN_FIELDS`."""

PLAIN_FIELDS = frozenset(
    {
        AutoField,
        BigAutoField,
        BigIntegerField,
        BooleanField,
        CharField,
        IntegerField,
        PositiveIntegerField,
        PositiveSmallIntegerField,
        SlugField,
        SmallIntegerField,
        TextField,
        URLField,
    }
)
"""Fields (exactly these classes) whose ``pre_save`` gives the attribute and whose
``value_to_string`` gives a text value unchanged; so do dates and times not set on saving,
whose values are plain when empty."""


def _fields_data(obj: Model) -> dict:
    values = obj.__dict__
    data = {}
    for name, attname, plain, serialise, field in _serialised_fields(type(obj)):
        value = values.get(attname, _MISSING) if plain else _MISSING
        if value is _MISSING or type(value) not in PLAIN_VALUES:
            value = serialise(field, obj)
        data[name] = value
    return data


def _stream_text(field: StreamField, obj: Model) -> str:
    """modelcluster's serialisation of a stream field's value (its ``value_to_string``),
    without the ``JSONField`` that Wagtail makes anew for each value to find its encoder."""
    return json.dumps(field.get_prep_value(field.value_from_object(obj)), cls=DjangoJSONEncoder)


def db_preparer(field: Field, connection) -> Callable[[object], object]:
    """``field.get_db_prep_save(value, connection)`` as a function of the value; for a
    stream field, with one ``JSONField`` for all values where Wagtail makes one per value."""
    if type(field) is StreamField:
        json_field = field.json_field
        return lambda value: json_field.get_db_prep_value(
            field.get_prep_value(value), connection=connection, prepared=True
        )
    return functools.partial(field.get_db_prep_save, connection=connection)


_MISSING = object()


@functools.cache
def _serialised_fields(model: type[Model]) -> tuple:
    """(key, attribute name, whether plain, serialiser, field) of what modelcluster
    serialises, in its order: the primary key (the root model's, under multi-table
    inheritance) first."""
    pk_field = model._meta.pk
    while pk_field.remote_field and pk_field.remote_field.parent_link:
        pk_field = pk_field.remote_field.model._meta.pk
    fields = [("pk", pk_field)]
    fields += [(field.name, field) for field in model._meta.fields if field.serialize]
    return tuple(
        (
            name,
            field.attname,
            field.remote_field is not None
            or type(field) in PLAIN_FIELDS
            or (
                type(field) in (DateField, DateTimeField)
                and not (field.auto_now or field.auto_now_add)
            ),
            _stream_text if type(field) is StreamField else get_field_value,
            field,
        )
        for name, field in fields
    )


@functools.cache
def _child_relations(model: type[Model]) -> tuple[tuple[str, type[Model]], ...]:
    return tuple(
        (relation.get_accessor_name(), relation.related_model)
        for relation in get_all_child_relations(model)
    )


@functools.cache
def _child_m2m_fields(model: type[Model]) -> tuple:
    return tuple(get_all_child_m2m_relations(model))


def can_copy(connection) -> bool:
    """Whether :func:`copy_rows` works on ``connection``: PostgreSQL through psycopg 3."""
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg"


def copy_rows(cursor: CursorWrapper, sql: str, rows: Sequence[Sequence]) -> None:
    """Run ``COPY ... FROM STDIN`` (``sql``) with ``rows`` as its data, as Django runs
    ``executemany``: through the connection's execute wrappers, in its query log when that
    is kept, with its errors turned into Django's."""

    def copy(sql, rows, many, context):
        cursor.db.validate_no_broken_transaction()
        with cursor.db.wrap_database_errors, cursor.cursor.copy(sql) as copying:
            for row in rows:
                copying.write_row(row)

    logged = (
        cursor.debug_sql(sql, rows, many=True) if hasattr(cursor, "debug_sql") else nullcontext()
    )
    with logged:
        cursor._execute_with_wrappers(sql, rows, many=True, executor=copy)


IMMUTABLE = frozenset(
    {str, int, float, bool, type(None), datetime.date, datetime.datetime, uuid.UUID}
)


class Copier:
    """New instances of a model as ``model(**values)`` makes them, by copying one made once.

    Django's, modelcluster's and Wagtail's constructors go over every field of the model for
    each instance; a page import makes thousands. A copy takes the first instance's
    attributes, a fresh state, each field's default anew where it is made per instance
    (callables) or is not an immutable value, then ``values`` set as the constructor sets
    them. Models whose constructor is their own (not Django's, modelcluster's or Wagtail's),
    or that something listens to the creation of (``pre_init``, ``post_init``), are made by
    their constructor.
    """

    def __init__(self, model: type[Model]):
        self.model = model
        self.copies = not (
            receivers(pre_init, model)
            or receivers(post_init, model)
            or any(
                "__init__" in vars(cls)
                and cls is not object
                and not cls.__module__.startswith(KNOWN_CONSTRUCTORS)
                for cls in model.__mro__
            )
        )
        self.blank = model()
        self.fresh = [
            (field.attname, field.get_default)
            for field in model._meta.concrete_fields
            if (field.has_default() and callable(field.default))
            or type(self.blank.__dict__.get(field.attname)) not in IMMUTABLE
        ]

    def __call__(self, **values) -> Model:
        if not self.copies:
            return self.model(**values)
        obj = self.model.__new__(self.model)
        obj.__dict__.update(self.blank.__dict__)
        obj._state = ModelState()
        for attname, default in self.fresh:
            obj.__dict__[attname] = default()
        for name, value in values.items():
            setattr(obj, name, value)
        return obj


KNOWN_CONSTRUCTORS = ("django.", "modelcluster.", "wagtail.")
"""Modules whose models' constructors :class:`Copier` knows: they set the fields, a new
page's content type and its ``show_in_menus`` default."""


def receivers(signal: Signal, sender: type) -> list:
    """The receivers, synchronous and asynchronous, that ``signal`` would call for ``sender``."""
    sync_receivers, async_receivers = signal._live_receivers(sender)
    return [*sync_receivers, *async_receivers]


@functools.cache
def problems() -> tuple[str, ...]:
    """What is missing or changed in the private APIs above; empty when all is as expected."""
    found = []
    checks = {
        "treebeard paths": _check_paths,
        "reference index extraction": _check_references,
        "signal receivers": _check_receivers,
        "search values": _check_search_values,
        "rich text for indexing": _check_text_for_indexing,
        "revision content": _check_serializable_data,
        "stream field values": _check_stream_values,
        "cursor wrappers": _check_cursor,
        "copied instances": _check_copies,
    }
    for name, check in checks.items():
        try:
            check()
        except Exception as error:
            found.append(f"{name}: {type(error).__name__}: {error}")
    return tuple(found)


def _check_paths() -> None:
    root = "0" * (Page.steplen - 1) + "1"
    path = child_path(root, 2, 37)
    assert len(path) == 2 * Page.steplen and path.startswith(root), path
    assert path_step(path) == 37, path
    assert max_children() > 1000


def _check_references() -> None:
    page = Page(title="Self-test", slug="self-test", locale_id=1, owner_id=1, alias_of_id=2)
    want = sorted(ReferenceIndex._extract_references_from_object(page))
    assert sorted(_extracted_references(page)) == want, want
    rows = list(references(page))
    assert all(len(row) == 5 and isinstance(row[4], uuid.UUID) for row in rows), rows
    assert content_path_hash("body") == content_path_hash("body")


def _check_receivers() -> None:
    signal = Signal()

    def receiver(sender, **kwargs):
        return None

    signal.connect(receiver, sender=Page, weak=False)
    assert receivers(signal, Page) == [receiver]


def _check_search_values() -> None:
    page = Page(title="Self-test")

    def values():
        return [
            (type(field), field.field_name, field.get_value(page))
            for field in page.get_search_fields()
            if isinstance(field, index.SearchField | index.AutocompleteField)
        ]

    want = values()
    with search_values_once([page]):
        got = values()
        assert all(
            isinstance(field, index.SearchField | index.AutocompleteField)
            for field in page.get_search_fields()
        )
    assert got == want and want, got
    assert page.get_search_fields() == Page.get_search_fields()
    related = index.RelatedFields("owner", [index.SearchField("username")])
    assert related.get_value(page) is None


def _check_copies() -> None:
    def state(obj):
        return {k: v for k, v in vars(obj).items() if k not in ("_state", "translation_key")}

    copier = Copier(Page)
    assert copier.copies
    copy, made = (
        copier(title="Self-test", slug="self-test"),
        Page(title="Self-test", slug="self-test"),
    )
    assert state(copy) == state(made), state(copy)


def _check_cursor() -> None:
    assert callable(CursorWrapper._execute_with_wrappers)
    assert callable(CursorDebugWrapper.debug_sql)


def _check_text_for_indexing() -> None:
    html = '<h2>A &amp; B</h2><p>One<br/>two <a href="/x?a=1&amp;b=2">&#39;three&#x27;</a></p>'
    assert text_for_indexing(html) == get_text_for_indexing(html), text_for_indexing(html)
    field = RichTextField()
    assert field.get_searchable_content(html) == [text_for_indexing(html)]


def _check_serializable_data() -> None:
    page = Page(title="Self-test", slug="self-test", depth=2, path="00010001", live=True)
    page.id = 7
    want = page.serializable_data()
    assert serializable_data(page) == want and want["title"] == "Self-test", want
    assert Page.serializable_data is _REVISION_DATA


def _check_stream_values() -> None:
    field = StreamField([("text", CharBlock())])
    field.set_attributes_from_name("body")
    connection = connections["default"]
    prepare = db_preparer(field, connection)
    for raw in ([], [{"type": "text", "value": "Self-test", "id": "1"}]):
        value = field.to_python(raw)
        obj = SimpleNamespace(body=value)
        assert _stream_text(field, obj) == field.value_to_string(obj)
        ours, own = prepare(value), field.get_db_prep_save(value, connection)
        assert type(ours) is type(own) and getattr(ours, "obj", ours) == getattr(own, "obj", own)
