"""Set-based reads and writes for the importer: the stored rows a file refers to in a few queries,
multi-row INSERTs and UPDATEs of checked values, and history records copied from the written rows.

Why not the ORM's bulk_create and simple_history's bulk_history_create: they spend ~70 µs a row
preparing each field of each model instance (measured: 1.4 s of 1.8 s for 10,000 measurements),
which alone misses the budget in DESIGN.md section 5. The fast path writes plain multi-row INSERTs
of the checked values, and copies each written row into its history table with one INSERT ...
SELECT per batch (so a history record is exactly the stored row, with the importing user, the date,
the reason and the type as django-simple-history records them). The database's constraints still
check every row.

Rows come in as named tuples: their field names are the model's attribute names (and `pk` for the
row to update), so no caller counts positions.
"""
from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.db import connection, models

BATCH_SIZE = 1000  # rows per INSERT/UPDATE statement (SQLite caps it lower by its 999 variables)
IN_LIST_LIMIT = 10_000  # ids per "IN (...)" list; SQLite allows 32,766 variables a statement


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# ---- reads ----------------------------------------------------------------------------------

def rows_to_update(model, pks, *, lock: bool) -> list:
    """The stored instances to change, read in IN-list-sized chunks (locked on confirm)."""
    rows = []
    for chunk in chunks(list(pks), IN_LIST_LIMIT):
        queryset = model.objects.filter(pk__in=chunk)
        rows += list(queryset.select_for_update() if lock else queryset)
    return rows


def existing(model, indicator_ids: list[int], fields: tuple, *, lock: bool) -> list[NamedTuple]:
    """Stored rows of `model` for these indicators, as named tuples of `fields`, in one query: an IN
    list up to 10,000 indicators; past that (SQLite's variable limit) the whole table, filtered here."""
    manager = model.objects
    if lock:
        manager = manager.select_for_update(of=("self",))
    if not indicator_ids:
        return []
    if len(indicator_ids) <= IN_LIST_LIMIT:
        return list(manager.filter(indicator_id__in=indicator_ids).values_list(*fields, named=True))
    wanted = set(indicator_ids)
    return [r for r in manager.all().values_list(*fields, named=True) if r.indicator_id in wanted]


# ---- writes ---------------------------------------------------------------------------------

def _db_value(field, value):
    if isinstance(field, (models.DecimalField, models.DateField)):  # DateTimeField is a DateField
        return field.get_db_prep_save(value, connection)
    return value


def _adapter(fields: list):
    """A function turning a row of values for `fields` into database parameters (decimals, dates)."""
    adapt = [(i, f) for i, f in enumerate(fields) if isinstance(f, (models.DecimalField, models.DateField))]
    if not adapt:
        return tuple

    def to_db(values):
        values = list(values)
        for i, f in adapt:
            values[i] = _db_value(f, values[i])
        return values
    return to_db


def insert_returning(model, rows: list[NamedTuple], constants: dict) -> list[int]:
    """INSERT rows (named tuples whose fields are the model's attribute names) plus `constants` and
    every other field's default; returns the new primary keys, in the order of `rows`."""
    if not rows:
        return []
    names = type(rows[0])._fields
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    by_name = {f.attname: f for f in fields}
    missing = [f for f in fields if f.attname not in names and f.attname not in constants]
    fixed = {**{f.attname: f.get_default() for f in missing}, **constants}
    fixed_cols = [(by_name[k], _db_value(by_name[k], v)) for k, v in fixed.items()]
    row_fields = [by_name[n] for n in names]
    to_db = _adapter(row_fields)
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    columns = ", ".join(qn(f.column) for f in row_fields + [f for f, _ in fixed_cols])
    fixed_values = [v for _, v in fixed_cols]
    postgres = connection.vendor == "postgresql"
    if postgres:
        # The constant columns once per statement; the casts type the VALUES list and the parameters.
        width = len(row_fields)
        aliases = [f"c{i}" for i in range(width)]
        select = ", ".join([f"CAST(v.{a} AS {f.db_type(connection)})" for a, f in zip(aliases, row_fields)]
                           + [f"CAST(%s AS {f.db_type(connection)})" for f, _ in fixed_cols])
        statement = (f"INSERT INTO {table} ({columns}) SELECT {select} FROM (VALUES {{values}}) AS v "
                     f"({', '.join(aliases)}) RETURNING {pk}")
    else:
        width = len(row_fields) + len(fixed_cols)
        statement = f"INSERT INTO {table} ({columns}) VALUES {{values}} RETURNING {pk}"
    per_statement = max(1, min(BATCH_SIZE, (connection.features.max_query_params or 65535) // width))
    placeholder = "(" + ", ".join(["%s"] * width) + ")"
    pks = []
    with connection.cursor() as cursor:
        for batch in chunks(rows, per_statement):
            params = list(fixed_values) if postgres else []  # the SELECT list's come first
            for row in batch:
                params.extend(to_db(row))
                if not postgres:
                    params.extend(fixed_values)
            cursor.execute(statement.format(values=", ".join([placeholder] * len(batch))), params)
            pks.extend(pk for (pk,) in cursor.fetchall())
    return pks


def update_rows(model, rows: list[NamedTuple], constants: dict) -> None:
    """UPDATE each row (a named tuple: the model's attribute names to set, and `pk`, the row to
    change) and set `constants` on all of them."""
    if not rows:
        return
    names = [n for n in type(rows[0])._fields if n != "pk"]
    meta = model._meta
    fields = [meta.get_field(n.removesuffix("_id")) if n.endswith("_id") else meta.get_field(n) for n in names]
    fixed = [(meta.get_field(k.removesuffix("_id")), v) for k, v in constants.items()]
    to_db = _adapter(fields)
    qn = connection.ops.quote_name
    fixed_values = [_db_value(f, v) for f, v in fixed]
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # SQLite runs a prepared statement per row in C (executemany), not a CASE per field per batch.
            assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields + [f for f, _ in fixed])
            params = [(*to_db(getattr(row, n) for n in names), *fixed_values, row.pk) for row in rows]
            for batch in chunks(params, BATCH_SIZE * 10):
                cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", batch)
            return
        # PostgreSQL: one UPDATE ... FROM (VALUES ...) per batch instead of a round trip per row.
        aliases = [f"c{i}" for i in range(len(fields))]
        sets = ", ".join([f"{qn(f.column)} = CAST(v.{a} AS {f.db_type(connection)})" for a, f in zip(aliases, fields)]
                         + [f"{qn(f.column)} = CAST(%s AS {f.db_type(connection)})" for f, _ in fixed])
        placeholder = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
        values = [(*to_db(getattr(row, n) for n in names), row.pk) for row in rows]
        for batch in chunks(values, BATCH_SIZE):
            flat = [*fixed_values, *(v for row in batch for v in row)]
            cursor.execute(f"UPDATE {table} AS t SET {sets} "
                           f"FROM (VALUES {', '.join([placeholder] * len(batch))}) AS v ({', '.join(aliases)}, pk) "
                           f"WHERE t.{pk} = v.pk", flat)


def history_copy(model, pks_by_reason: dict[str, list[int]], *, by, when, history_type: str) -> None:
    """One history record per row, copied from the stored row: "+" created, "~" changed."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    tracked = list(history.tracked_fields)
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    known = {f.attname for f in tracked} | set(extra) | {history._meta.pk.attname}
    unknown = [f.attname for f in history._meta.concrete_fields if f.attname not in known]
    if unknown:  # pragma: no cover - a history model with custom fields needs its values here
        raise RuntimeError(f"{history.__name__} has fields the import does not fill: {unknown}")
    qn = connection.ops.quote_name
    target = ", ".join([qn(history._meta.get_field(f.name).column) for f in tracked]
                       + [qn(history._meta.get_field(name).column) for name in extra])
    source = ", ".join(qn(f.column) for f in tracked)
    date_param = connection.ops.adapt_datetimefield_value(when)
    per_statement = min(BATCH_SIZE, (connection.features.max_query_params or 65535) - 4)
    with connection.cursor() as cursor:
        for reason, pks in pks_by_reason.items():
            for batch in chunks(pks, per_statement):
                cursor.execute(
                    f"INSERT INTO {qn(history._meta.db_table)} ({target}) SELECT {source}, %s, %s, %s, %s "
                    f"FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} IN "
                    f"({', '.join(['%s'] * len(batch))})",
                    [date_param, reason, history_type, by.pk if by else None, *batch])
