import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    """The region's school-year calendar (onboarding a region sets it)."""

    dependencies = [
        ("schools", "0005_region_school_calendar"),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="school_year_end_day",
            field=models.PositiveSmallIntegerField(
                default=31,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(31),
                ],
                verbose_name="учебный год заканчивается: день",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="school_year_end_month",
            field=models.PositiveSmallIntegerField(
                default=5,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(12),
                ],
                verbose_name="учебный год заканчивается: месяц",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="school_year_start_day",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(31),
                ],
                verbose_name="учебный год начинается: день",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="school_year_start_month",
            field=models.PositiveSmallIntegerField(
                default=9,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(12),
                ],
                verbose_name="учебный год начинается: месяц",
            ),
        ),
    ]
