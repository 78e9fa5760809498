from django.db import migrations, models


def mark_automatic(apps, schema_editor):
    # Until now a quarterly report with nobody as its requester was the round's automatic one.
    Report = apps.get_model("reporting", "Report")
    Report.objects.filter(kind="quarterly", requested_by__isnull=True).update(automatic=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="automatic",
            field=models.BooleanField(default=False, verbose_name="по расписанию"),
        ),
        migrations.RunPython(mark_automatic, migrations.RunPython.noop),
    ]
