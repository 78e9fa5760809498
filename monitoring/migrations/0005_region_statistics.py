# Extended statistics for PostgreSQL: an obligation's executor decides its region. Without them
# the planner multiplies «region = R» by «executor IN (…)» as if they were independent, expects
# a curator's 1,700 obligations to be 100, and picks a plan that joins every one of them before it
# sorts the page (measured at 20 regions: 26,704 buffers for a curator's /execution/; with them
# 1,988). SQLite (the demo) has no such thing and needs none.

from django.db import migrations

STATISTICS = [
    ("monitoring_obligation_region_executor", "monitoring_obligation", "region_id, executor_id"),
    ("monitoring_obligation_region_roadmap", "monitoring_obligation", "region_id, roadmap_id"),
]


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in STATISTICS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies) ON {columns} FROM {table}"
        )
        schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in STATISTICS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0004_region_joins"),
    ]

    operations = [migrations.RunPython(create, drop)]
