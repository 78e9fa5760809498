# The three links between a report and its obligation, evidence and events join on the region
# too (core/fields.py). The columns and constraints in the database stay exactly as they are:
# only Django's state changes, so nothing is rewritten or re-validated on a national database.

import django.db.models.deletion
from django.db import migrations

import core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_access_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="evidence",
                    name="report",
                    field=core.fields.RegionForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evidence",
                        to="monitoring.executionreport",
                    ),
                ),
                migrations.AlterField(
                    model_name="executionreport",
                    name="obligation",
                    field=core.fields.RegionOneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report",
                        to="monitoring.obligation",
                    ),
                ),
                migrations.AlterField(
                    model_name="reportevent",
                    name="report",
                    field=core.fields.RegionForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="monitoring.executionreport",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
