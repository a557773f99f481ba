"""Search index entries of new pages in bulk, with the database search backends' own
indexers and fewer statements.

Wagtail's PostgreSQL database search backend builds a ``tsvector`` expression for each part
(title, autocomplete, body) of every page's entry and compiles it through Django's SQL
compiler: for an import that costs several times running the statement. The SQL of a part
depends only on its shape (how many texts, their weights, which search configuration), not
on the texts, which are its parameters. :func:`add_bulk` compiles each shape once, with the
backend's own indexer and compiler, and writes the entries of one shape with one
``executemany``. It writes what the backend's ``add_items`` writes, which it checks on the
first page of every batch. SQLite's database backend gets its entries from one prepared
``INSERT`` instead of a ``bulk_create`` per batch. Other backends, and a backend whose code
is not as expected, get their own ``add_bulk``. :func:`finish_bulk` does what ``add_items``
does last (the title norms), once for all batches.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from django.db.models import Model
from django.db.models.sql.subqueries import InsertQuery

from .inserting import Insert

logger = logging.getLogger(__name__)

PARTS = ("title", "autocomplete", "body")
PLAIN_TEXT_PARTS = ("title_text", "body_text")
"""Plain text parts of an entry that newer versions of the backend also write."""


def add_bulk(backend, model: type[Model], objs: Sequence[Model]) -> None:
    """``backend.add_bulk(model, objs)``, in fewer statements where the backend is one of
    the database backends: PostgreSQL's or SQLite's."""
    index = backend.get_index_for_model(model)
    if not objs or not model.get_search_fields():
        backend.add_bulk(model, objs)
    elif shaped := ShapedEntries.of(index):
        if shaped.agrees(objs[0]):
            shaped.write(model, objs)
        else:
            logger.warning("Indexing pages one statement per batch: the shaped SQL disagreed")
            backend.add_bulk(model, objs)
    elif not ((plain := PlainEntries.of(index)) and plain.write(model, objs)):
        backend.add_bulk(model, objs)


def finish_bulk(backend, model: type[Model]) -> None:
    """What the backend does after writing entries, once after many :func:`add_bulk` calls.

    The database backends' ``add_items`` end by setting the title norm of new entries from
    the average title length, which reads every entry of the index: once per import, not
    once per batch, which gives new entries the values one ``add_items`` of all of them
    would give.
    """
    index = backend.get_index_for_model(model)
    if any(database_backend(index, vendor) for vendor in ("postgres", "sqlite")):
        index._refresh_title_norms()


def database_backend(index, vendor: str) -> ModuleType | None:
    """The module of Wagtail's database search backend for ``vendor`` (``postgres``,
    ``sqlite``) when ``index`` is its own index and the module has what the entry writers
    use; else ``None``."""
    module = sys.modules.get(type(index).__module__)
    known = (
        module is not None
        and module.__name__.endswith(f".database.{vendor}.{vendor}")
        and type(index).add_items.__module__ == module.__name__
        and all(
            hasattr(module, name)
            for name in ("ObjectIndexer", "IndexEntry", "get_content_type_pk")
        )
        and hasattr(index, "_refresh_title_norms")
    )
    return module if known else None


class PlainEntries:
    """Writes the entries of SQLite's database backend's index for pages without one (new
    pages) with one prepared ``INSERT``, where its ``add_items`` runs ``bulk_create``, which
    compiles every batch anew."""

    COLUMNS = ("content_type_id", "object_id", "title", "autocomplete", "body")

    def __init__(self, index, module):
        self.index = index
        self.entries = module.IndexEntry._default_manager
        self.indexer = module.ObjectIndexer
        self.content_type_pk = module.get_content_type_pk
        self.insert = Insert(module.IndexEntry, self.COLUMNS, using=index.write_connection.alias)

    @classmethod
    def of(cls, index) -> PlainEntries | None:
        """Entries of ``index`` when it is the SQLite database backend's own index."""
        module = database_backend(index, "sqlite")
        known = module is not None and not any(
            hasattr(module.ObjectIndexer, name) for name in PLAIN_TEXT_PARTS
        )
        return cls(index, module) if known else None

    def write(self, model: type[Model], objs: Sequence[Model]) -> bool:
        """Write what the backend's ``add_items(model, objs)`` writes but the title norms;
        ``False`` (and nothing written) when an object has an entry already."""
        content_type_pk = self.content_type_pk(model)
        indexers = [self.indexer(obj, self.index.backend) for obj in objs]
        if self.entries.filter(
            content_type_id=content_type_pk, object_id__in=[indexer.id for indexer in indexers]
        ).exists():
            return False
        self.insert.run(
            (content_type_pk, indexer.id, indexer.title, indexer.autocomplete, indexer.body)
            for indexer in indexers
        )
        return True


@dataclass(frozen=True)
class Part:
    """The texts of one part of an entry, as the backend's ``as_vector`` keeps them."""

    texts: tuple[str, ...]
    weights: tuple[str, ...]
    autocomplete: bool

    @classmethod
    def of(cls, texts, autocomplete: bool) -> Part:
        kept = [(text.strip(), weight) for text, weight in texts if text.strip()]
        return cls(
            tuple(text for text, _ in kept), tuple(weight for _, weight in kept), autocomplete
        )

    @property
    def shape(self) -> tuple:
        return self.weights, self.autocomplete


class ShapedEntries:
    """Writes the entries of the backend's index, one statement per shape of entry."""

    def __init__(self, index, module):
        self.index = index
        self.backend = index.backend
        self.connection = index.write_connection
        self.entry = module.IndexEntry
        self.content_type_pk = module.get_content_type_pk
        self.own_indexer = module.ObjectIndexer
        self.indexer = _recording(module.ObjectIndexer)
        self.plain = [name for name in PLAIN_TEXT_PARTS if hasattr(module.ObjectIndexer, name)]
        self.compiler = InsertQuery(self.entry).get_compiler(connection=self.connection)
        self.parts: dict[tuple, tuple[str, tuple]] = {}
        self.statements: dict[tuple, str] = {}

    @classmethod
    def of(cls, index) -> ShapedEntries | None:
        """Entries of ``index`` when it is the PostgreSQL database backend's own index."""
        module = database_backend(index, "postgres")
        return cls(index, module) if module is not None else None

    def write(self, model: type[Model], objs: Sequence[Model]) -> None:
        """What the backend's ``add_items(model, objs)`` writes."""
        content_type_pk = self.content_type_pk(model)
        rows = defaultdict(list)
        for obj in objs:
            indexer = self.indexer(obj, self.backend)
            parts = [getattr(indexer, name) for name in PARTS]
            params = [content_type_pk, indexer.id]
            for part in parts:
                params += self.params(part, indexer)
            params += [getattr(indexer, name) for name in self.plain]
            rows[tuple(part.shape for part in parts)].append(params)
        with self.connection.cursor() as cursor:
            for shape, params in rows.items():
                cursor.executemany(self.statement(shape), params)

    def params(self, part: Part, indexer) -> list:
        """The parameters of ``part``'s SQL."""
        sources = self.compiled(part, indexer)[1]
        return [part.texts[source] if type(source) is int else source[0] for source in sources]

    def compiled(self, part: Part, indexer) -> tuple[str, tuple]:
        """The SQL of parts of ``part``'s shape, and where each of its parameters comes
        from: the position of a text, or a constant (in a 1-tuple)."""
        if part.shape not in self.parts:
            markers = [f"\x00{number}\x00" for number in range(len(part.texts))]
            vector = self.own_indexer.as_vector(
                indexer, list(zip(markers, part.weights, strict=True)), part.autocomplete
            )
            sql, params = self.compile("autocomplete" if part.autocomplete else "title", vector)
            sources = tuple(markers.index(p) if p in markers else (p,) for p in params)
            self.parts[part.shape] = (sql, sources)
        return self.parts[part.shape]

    def compile(self, name: str, vector) -> tuple[str, list]:
        """The SQL and parameters of a ``tsvector`` written to the entry's ``name``."""
        value = self.compiler.prepare_value(self.entry._meta.get_field(name), vector)
        sql, params = value.as_sql(self.compiler, self.connection)
        return sql, list(params)

    def statement(self, shape: tuple) -> str:
        if shape not in self.statements:
            parts = [self.parts[part_shape][0] for part_shape in shape]
            columns = ["content_type_id", "object_id", *PARTS, "title_norm", *self.plain]
            values = ["%s", "%s", *parts, "1.0", *(["%s"] * len(self.plain))]
            updates = [f"{name} = EXCLUDED.{name}" for name in (*PARTS, *self.plain)]
            self.statements[shape] = (
                f"INSERT INTO {self.entry._meta.db_table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(values)}) "
                "ON CONFLICT (content_type_id, object_id) "
                f"DO UPDATE SET title_norm = 1.0, {', '.join(updates)}"
            )
        return self.statements[shape]

    def agrees(self, obj: Model) -> bool:
        """Whether the SQL and parameters of ``obj``'s entry equal what the backend's own
        indexer compiles for it."""
        try:
            own = self.own_indexer(obj, self.backend)
            recording = self.indexer(obj, self.backend)
            for name in PARTS:
                part = getattr(recording, name)
                shaped = (self.compiled(part, recording)[0], self.params(part, recording))
                if shaped != self.compile(name, getattr(own, name)):
                    return False
            return all(getattr(recording, n) == getattr(own, n) for n in self.plain)
        except Exception:
            logger.exception("Could not compare the shaped SQL of a search index entry")
            return False


@functools.cache
def _recording(indexer: type) -> type:
    """The backend's indexer, giving each part's texts instead of their ``tsvector``."""

    class RecordingIndexer(indexer):
        def as_vector(self, texts, for_autocomplete=False):
            return Part.of(texts, for_autocomplete)

    return RecordingIndexer
