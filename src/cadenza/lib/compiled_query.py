"""A queryset compiled to SQL once per process, then run with new values: the same SQL, the same
model instances, without the ORM's Python work of building and compiling it on every request.

Why: on the learner's pages a query's cost is the ORM's Python work, not the database's
(docs/performance.md, issue 13 section 6): ``filter()`` chains, joins and the compiler cost
0.5-1.5 ms a query while SQLite answers in a tenth of that. The pages run the same few
one-row queries on every request (the membership, the course, the unit) with different
values. ``CompiledQuery`` builds the queryset once with sample values, keeps its SQL and
the positions of those values among its parameters, and on each call runs that SQL with the
call's values and makes the instances as Django's ``ModelIterable`` does (the backend's and
the fields' converters, ``Model.from_db``, ``select_related`` populators, annotations).

The contract: ``build`` must make the same SQL shape for any values of its parameters (no
``None``, no lists: an ``IN`` list or ``IS NULL`` changes the SQL); parameters are ``int``,
``str`` or an aware ``datetime`` compared with a ``DateTimeField`` (adapted for the database
as the ORM adapts it). The samples are numbers, dates and mixed-case strings no real value
has; a query whose compiled parameters do not hold every sample exactly once (a builder that
transforms or repeats a value) falls back to running the ORM each time (still correct). Queries run
through Django's cursor, so they are counted by ``assertNumQueries`` and logged as any other.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

M = TypeVar("M", bound=Model)

_SAMPLE_INT_BASE = 7_300_000_000_000
_samples = itertools.count(1)


class _Compiled:
    """One query's SQL for one database, where its parameters go, and how rows become models."""

    __slots__ = (
        "annotations",
        "converters",
        "init_list",
        "model",
        "model_slice",
        "params",
        "populators",
        "positions",
        "sql",
    )

    def __init__(self, queryset: QuerySet[Any], alias: str, samples: dict[str, object]) -> None:
        compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        adapt = connections[alias].ops.adapt_datetimefield_value
        by_value = {
            adapt(value) if isinstance(value, datetime) else value: name
            for name, value in samples.items()
        }
        self.positions: list[tuple[int, str]] = [
            (index, by_value[value])
            for index, value in enumerate(self.params)
            if isinstance(value, int | str | datetime) and value in by_value
        ]
        select, klass_info = compiler.select, compiler.klass_info
        self.model: type[Model] = klass_info["model"]
        fields = klass_info["select_fields"]
        self.model_slice = slice(fields[0], fields[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.model_slice]]
        # Django 5.2's signature (the stubs have a later version's ``fetch_mode``).
        self.populators = get_related_populators(klass_info, select, alias)  # type: ignore[call-arg]
        self.annotations = dict(compiler.annotation_col_map or {})
        columns = [column[0] for column in select[0 : compiler.col_count]]
        self.converters = list(compiler.get_converters(columns).items())
        if sorted(name for _, name in self.positions) != sorted(samples):
            raise ValueError("each sample must appear exactly once among the parameters")


class CompiledQuery(Generic[M]):
    """``build(**values)`` compiled once per database and process; see the module's docstring."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]]) -> None:
        self._model = model
        self._build = build
        self._compiled: dict[tuple[str, tuple[tuple[str, type], ...]], _Compiled | None] = {}
        self._lock = threading.Lock()

    def all(self, **values: int | str | datetime) -> list[M]:
        """The rows of ``build(**values)``, as ``list(build(**values))`` would give them."""
        alias = router.db_for_read(self._model)
        key = (alias, tuple(sorted((name, type(value)) for name, value in values.items())))
        try:
            compiled = self._compiled[key]
        except KeyError:
            compiled = self._compile(alias, key, values)
        if compiled is None:
            return list(self._build(**values))
        return _run(compiled, alias, values)

    def first(self, **values: int | str | datetime) -> M | None:
        """The first row (``build`` sets the order and ``[:1]``), or None."""
        rows = self.all(**values)
        return rows[0] if rows else None

    def _compile(
        self,
        alias: str,
        key: tuple[str, tuple[tuple[str, type], ...]],
        values: dict[str, int | str | datetime],
    ) -> _Compiled | None:
        samples: dict[str, object] = {}
        for name, value in values.items():
            number = next(_samples)
            if isinstance(value, datetime):
                samples[name] = datetime(2999, 1, 1, tzinfo=UTC).replace(
                    microsecond=number % 1_000_000
                )
            elif isinstance(value, int):
                samples[name] = _SAMPLE_INT_BASE + number
            else:
                samples[name] = f"\x1fCompiledQuery-Sample-{number}\x1f"
        compiled: _Compiled | None
        try:
            queryset = self._build(**samples)
            if (
                queryset.model is not self._model
                or queryset._iterable_class is not ModelIterable
                or getattr(queryset, "_known_related_objects", None)
                or getattr(queryset, "_prefetch_related_lookups", None)
                or queryset.db != alias
            ):
                raise ValueError("only plain model rows of the model given")
            compiled = _Compiled(queryset, alias, samples)
        except (EmptyResultSet, ValueError, KeyError, TypeError):
            compiled = None
        with self._lock:
            self._compiled[key] = compiled
        return compiled


def _run(compiled: _Compiled, alias: str, values: dict[str, int | str | datetime]) -> list[Any]:
    connection = connections[alias]
    params = list(compiled.params)
    for index, name in compiled.positions:
        value = values[name]
        params[index] = (
            connection.ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime)
            else value
        )
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    found = []
    for raw in rows:
        row = list(raw)
        for position, (converters, expression) in compiled.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        obj = compiled.model.from_db(alias, compiled.init_list, row[compiled.model_slice])
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations.items():
            setattr(obj, name, row[position])
        found.append(obj)
    return found
