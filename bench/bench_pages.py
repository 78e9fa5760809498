"""Page cost as the data grows: queries and time of the busiest pages on the demo data, then
again with 10× more obligations. Needs PostgreSQL (DATABASE_URL, as `make bench` sets up);
works in a throwaway database it creates and drops. Prints figures; asserts nothing."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PAGES = [
    "/tasks/?bucket=overdue",
    "/reviews/",
    "/execution/",
    "/execution/matrix/?by=municipality",
    "/roadmaps/1/",
]


def measure(client, label: str) -> None:
    for url in PAGES:
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        print(
            f"{label:10} {url:40} {response.status_code} {len(queries):4d} queries {elapsed * 1000:8.1f} ms"
        )


def inflate(factor: int) -> int:
    """Copy every obligation (with a shifted due date) ``factor - 1`` times."""
    import datetime as dt

    from monitoring.models import Obligation

    base = list(Obligation.objects.all())
    rows = []
    for n in range(1, factor):
        for o in base:
            rows.append(
                Obligation(
                    region_id=o.region_id,
                    roadmap_id=o.roadmap_id,
                    item_id=o.item_id,
                    executor_id=o.executor_id,
                    window_start=o.window_start + dt.timedelta(days=366 * n),
                    due_date=o.due_date + dt.timedelta(days=366 * n),
                )
            )
    Obligation.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return Obligation.objects.count()


def main() -> None:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit("bench_pages: set DATABASE_URL to PostgreSQL (make bench does)")
    from django.test.runner import DiscoverRunner

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        call_command("seed_demo", quiet=True)
        from django.test import Client

        from monitoring.models import Obligation
        from schools.models import User

        client = Client()
        client.force_login(User.objects.get(username="tomsk-coordinator"))
        print(f"obligations: {Obligation.objects.count()}")
        measure(client, "demo")
        print(f"obligations: {inflate(10)}")
        measure(client, "10×")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
