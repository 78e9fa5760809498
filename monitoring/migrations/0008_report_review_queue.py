# The review queue's count and page read the submitted reports of a region from this index alone
# (README «Производительность»).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0007_soft_delete"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="executionreport",
            index=models.Index(
                condition=models.Q(("review_state", "submitted")),
                fields=["region", "submitted_at"],
                include=("obligation",),
                name="report_review_queue",
            ),
        ),
    ]
