# Extended statistics for PostgreSQL: an assignment's school (and questionnaire) decides its
# region, and a questionnaire's owner decides its. Without them the planner multiplies «region = R»
# by «school IN (…)» as if they were independent, expects one of a municipal official's nine
# assignments and joins each one's response by an index descent instead of hashing the region's
# responses (/api/v1/responses/ at 85 regions: 31 buffers for the count, and as many for the
# page's ids; with them 8). An answer's response decides its region too: the page's answers are
# then read through the region's index and hashed with its questions (sorted on). SQLite (the
# demo) has no such thing and needs none.

from django.db import migrations

STATISTICS = [
    ("questionnaires_assignment_region_school", "questionnaires_assignment", "region_id, school_id"),
    (
        "questionnaires_assignment_region_questionnaire",
        "questionnaires_assignment",
        "region_id, questionnaire_id",
    ),
    # A curator's schools and the region's published questionnaires: one questionnaire a round,
    # so a school mostly decides it (ANALYZE measures how far; weak, it changes nothing).
    (
        "questionnaires_assignment_school_questionnaire",
        "questionnaires_assignment",
        "school_id, questionnaire_id",
    ),
    ("questionnaires_questionnaire_region_owner", "questionnaires_questionnaire", "region_id, owner_id"),
    ("questionnaires_answer_region_response", "questionnaires_answer", "region_id, response_id"),
]


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in STATISTICS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies) ON {columns} FROM {table}"
        )
    for table in sorted({table for _name, table, _columns in STATISTICS}):
        schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in STATISTICS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("questionnaires", "0002_questionnaire_question_version"),
    ]

    operations = [migrations.RunPython(create, drop)]
