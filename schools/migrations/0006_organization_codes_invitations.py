import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Organizations' registry codes (spreadsheet re-uploads match by them) and invitations."""

    dependencies = [
        ("schools", "0005_region_school_calendar"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="external_code",
            field=models.CharField(blank=True, max_length=64, verbose_name="внешний код"),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_code", ""), _negated=True),
                fields=("region", "external_code"),
                name="organization_unique_external_code",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="invited_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="приглашён"),
        ),
        migrations.AddField(
            model_name="user",
            name="invited_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="кем приглашён",
            ),
        ),
    ]
