"""Foreign keys inside one region.

Every tenant table carries its own ``region_id``. A link between two such rows (a report and its
obligation, an evidence file and its report, a control date and its item) always stays inside one
region, and these fields say so in every join they make::

    ... LEFT JOIN monitoring_executionreport r
          ON (o.id = r.obligation_id AND r.region_id = o.region_id)

With the row's own region in the WHERE clause (``o.region_id = 3``, which the access gate puts
first), PostgreSQL carries the constant across that equality to the joined table — also to the
nullable side of a LEFT JOIN — and reads the joined table through its region index instead of
scanning the whole country's rows to hash them. The join result is the same: linked rows never
cross regions (``tests/core/test_region_joins.py`` checks the data and the SQL).
"""

from django.db import models
from django.db.models.sql.where import AND, WhereNode

REGION_FIELD = "region"


class _SameRegionJoin:
    """Mixin for ForeignObject subclasses: the join also matches the two rows' regions."""

    def get_extra_restriction(self, alias: str, related_alias: str) -> WhereNode:
        # Django calls this for joins in both directions with ``alias`` naming the target
        # (pointed-to) table and ``related_alias`` the table that holds the key.
        own = self.model._meta.get_field(REGION_FIELD)  # type: ignore[attr-defined]
        target = self.related_model._meta.get_field(REGION_FIELD)  # type: ignore[attr-defined]
        same = own.get_lookup("exact")(own.get_col(related_alias), target.get_col(alias))
        return WhereNode([same], connector=AND)


class RegionForeignKey(_SameRegionJoin, models.ForeignKey):
    """A ForeignKey between two rows of one region (both models have ``region``)."""


class RegionOneToOneField(_SameRegionJoin, models.OneToOneField):
    """A OneToOneField between two rows of one region (both models have ``region``)."""
