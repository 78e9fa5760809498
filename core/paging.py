"""Pagination for long lists whose rows show many joined tables.

A page of 30 obligations shows each one's item, roadmap, owner, executor and municipality. Asked
in one query, PostgreSQL often joins all of those for every row of the region before it sorts and
cuts the page (it cannot tell how few rows survive the filters: join estimates use the whole
country's statistics). The «deferred join» asks twice instead: first the ids of the page, sorted
and cut on the bare rows; then the page's rows with everything they show, by primary key.

The API's lists go one step further (:attr:`DeferredJoinPaginator.split_joins`): the page's rows
are read with no join (with the list's own filters, or by ids within their regions), and each table ``select_related`` names is read
once for the whole page, within the rows' regions. Joined to rows that repeat the access filters,
those tables were read by one index descent per row: PostgreSQL multiplies the region's
selectivity by that of the ids, expects one row and picks nested loops — harmless over one region's
small tables, three pages a row in a country (a 50-row page of roadmaps: 52 buffers at 1 region,
339 at 85; read apart, 69 at 85).

A page may already hold some of those rows (``known``): the roadmaps page lists the owners of the
visible roadmaps for its filter, and its rows take their owners from that list instead of reading
them again (a row whose owner is not there is read as usual).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable

# Rows a request has read already, by model: a function giving them by primary key, called only
# when a page shows that model.
Known = dict[type[models.Model], Callable[[], dict[Any, models.Model]]]


class DeferredJoinPaginator(Paginator):
    """A Paginator over a queryset: sorts and cuts on ids, then loads only the page's rows.

    ``load`` adds what only the shown rows need (joins, per-row counts) to the page's queryset;
    give the paginator the bare, sorted rows and it counts and cuts them without those joins.
    ``rows``, when given, is what the page's rows are read from by id instead of the list itself:
    a wider set holding every row of the list, without the list's own tests (a tab of «Мои
    задачи» is a test on each obligation's report; repeated on the page's 30 ids it only made
    PostgreSQL expect one row and plan the joins for it).
    """

    # Read the page's rows and each select_related table apart, by ids within the rows' regions
    # (see the module's docstring); the API's pagination turns it on.
    split_joins = False

    def __init__(
        self,
        object_list: Any,
        *args: Any,
        load: Callable[[QuerySet], QuerySet] | None = None,
        rows: QuerySet | None = None,
        known: Known | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, *args, **kwargs)
        self.load = load
        self.rows = rows
        # Rows the request holds already (the user's regions): the split read takes a related
        # row from here before it asks the database (:func:`attach`).
        self.known = known or {}

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.split_joins and self.load is None and splittable(self.object_list):
            return self._get_page(load_split(self.object_list, bottom, top, self.known), number, self)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        shown = (self.object_list if self.rows is None else self.rows).order_by().filter(pk__in=ids)
        rows = {row.pk: row for row in (self.load(shown) if self.load else shown)}
        return self._get_page([rows[pk] for pk in ids], number, self)


def _region_column(model: type[models.Model]) -> str | None:
    """``region_id`` when the model carries its region as a plain non-null foreign key."""
    try:
        field = model._meta.get_field("region")
    except FieldDoesNotExist:  # no region of its own
        return None
    if not (field.concrete and field.many_to_one) or field.null:
        return None
    return field.attname


def _relation(model: type[models.Model], name: str) -> tuple[str, Any] | None:
    """How ``name`` of ``model`` is read apart: ("forward", field) for a foreign key or one-to-one
    to the target's primary key, ("reverse", rel) for the reverse side of a one-to-one."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if field.concrete and (field.many_to_one or field.one_to_one):
        if field.target_field != field.related_model._meta.pk:
            return None
        return "forward", field
    if field.auto_created and field.one_to_one and not field.concrete:
        remote = field.remote_field  # the OneToOneField on the other model
        if remote.target_field != model._meta.pk:
            return None
        return "reverse", field
    return None


def _tree_splittable(model: type[models.Model], tree: dict) -> bool:
    for name, sub in tree.items():
        relation = _relation(model, name)
        if relation is None:
            return False
        kind, field = relation
        if not _tree_splittable(field.related_model, sub):
            return False
    return True


def splittable(qs: Any) -> bool:
    """Whether the page's rows can be read bare and their select_related tables apart: a model
    queryset with no annotations, deferred fields or extra SQL, and only forward foreign keys or
    reverse one-to-ones to primary keys in ``select_related``."""
    if not isinstance(qs, QuerySet) or qs._iterable_class is not ModelIterable:
        return False
    query = qs.query
    if (
        query.combinator
        or query.annotations
        or query.extra
        or query.extra_select
        or query.deferred_loading != (frozenset(), True)
    ):
        return False
    if query.select_related is True:
        return False
    return _tree_splittable(qs.model, query.select_related or {})


def _joins(qs: QuerySet) -> bool:
    """Whether the queryset's filters reach other tables than its own (joins, not subqueries)."""
    query = qs.query
    base = query.get_initial_alias()
    return any(alias != base and query.alias_refcount.get(alias) for alias in query.alias_map)


def load_split(qs: QuerySet, bottom: int, top: int, known: Known | None = None) -> list[models.Model]:
    """The rows ``bottom:top`` of ``qs``, in its order, with its select_related and prefetches.

    The ids are cut from ``qs``, so its filters — the access rules among them — decide which rows
    there are. The rows are then read again without a join: with the list's own filters when they
    touch only its table (they lead PostgreSQL to the row's region or roadmap index, where the
    ids alone would descend the primary key once per row), else by the ids within the regions the
    cut gave (a filter on a joined table would be checked by one descent of it per row). Each
    related table is then read once for the page, within the rows' regions (:func:`attach`).
    Rows the request holds already (``known``: its regions) are not read again.
    """
    region = _region_column(qs.model)
    if _joins(qs) and region:
        cut = list(qs.values_list("pk", region)[bottom:top])
        ids = [pk for pk, _ in cut]
        bare = qs.model._base_manager.filter(pk__in=ids, **{f"{region}__in": {r for _, r in cut}})
    else:
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        bare = qs.order_by().select_related(None).prefetch_related(None).filter(pk__in=ids)
    held = known[qs.model]() if known and qs.model in known else {}
    if held and all(pk in held for pk in ids):  # the rows themselves are held (a list of regions)
        by_pk = held
    else:
        by_pk = {row.pk: row for row in bare.order_by()}
    rows = [by_pk[pk] for pk in ids]
    regions = {getattr(row, region) for row in rows} if region else set()
    attach(rows, qs.query.select_related or {}, regions, known)
    if qs._prefetch_related_lookups:
        prefetch_related_objects(rows, *qs._prefetch_related_lookups)
    return rows


def _read(
    model: type[models.Model], column: str, keys: Iterable[Any], regions: set[int]
) -> dict[Any, models.Model]:
    """``model``'s rows whose ``column`` is one of ``keys``, by that value; within ``regions``
    when the model carries its own region (the region's index instead of a descent per key)."""
    keys = set(keys)
    if not keys:
        return {}
    qs = model._base_manager.filter(**{f"{column}__in": keys}).order_by()
    region = _region_column(model)
    if region and regions:
        qs = qs.filter(**{f"{region}__in": regions})
    return {getattr(obj, column): obj for obj in qs}


def attach(
    rows: list[models.Model],
    tree: dict,
    regions: set[int],
    known: Known | None = None,
) -> None:
    """Set each relation of ``tree`` (a select_related tree) on ``rows`` from one query per table.

    A row's related rows are in its own region (every tenant model copies its region from its
    parent on save, and the forms refuse another region's owner, school or executor), so they
    are read within the page's regions; a forward key still missing is read again by its id
    alone, so the rows are exactly those the joins gave. A forward key whose row is in ``known``
    (rows the request has read already) is not read at all.
    """
    if not rows:
        return
    model = type(rows[0])
    for name, sub in tree.items():
        kind, field = _relation(model, name)  # splittable() made sure
        target = field.related_model
        if kind == "forward":
            keys = {getattr(row, field.attname) for row in rows} - {None}
            held = known[target]() if known and target in known else {}
            found = {key: held[key] for key in keys if key in held}
            found |= _read(target, target._meta.pk.attname, keys - set(found), regions)
            missing = keys - set(found)
            if missing:
                found |= {obj.pk: obj for obj in target._base_manager.filter(pk__in=missing).order_by()}
            for row in rows:
                key = getattr(row, field.attname)
                field.set_cached_value(row, found.get(key) if key is not None else None)
                if field.one_to_one and key is not None and key in found:
                    field.remote_field.set_cached_value(found[key], row)
        else:
            remote = field.remote_field  # the one-to-one on ``target`` pointing at ``model``
            found = _read(target, remote.attname, {row.pk for row in rows}, regions)
            for row in rows:
                obj = found.get(row.pk)
                field.set_cached_value(row, obj)
                if obj is not None:
                    remote.set_cached_value(obj, row)
        if sub:
            attach([obj for obj in found.values()], sub, regions, known)


class SplitJoinPaginator(DeferredJoinPaginator):
    """The API's: the page's rows and each of their select_related tables read apart."""

    split_joins = True
