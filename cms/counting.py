"""Counters kept as rows (a form's downloads per day, an unanswered query per day): one more,
safe when two requests count at once."""

from django.db import IntegrityError, transaction
from django.db.models import F


def add_one(model, field, **key):
    """Add one to ``field`` of the ``model`` row with ``key``, creating the row at 1.

    The increment is an ``F()`` update done by the database, never a read-modify-write. When two
    first counts race, the unique constraint on ``key`` refuses the second insert (inside its own
    savepoint, so an outer transaction survives) and that one increments the row the other made.
    """
    rows = model.objects.filter(**key)
    if rows.update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **{field: 1})
    except IntegrityError:
        rows.update(**{field: F(field) + 1})
