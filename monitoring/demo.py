"""Demo execution data: obligations for every approved roadmap and, in the demo region, a spread
of accepted, late, returned, waiting and missing reports with a few small evidence files.

Deterministic (a seeded random generator) and idempotent: a region that already has reports is
left alone.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from monitoring.models import Evidence, ExecutionReport, Obligation, ReportEvent
from monitoring.services import generate_obligations
from roadmaps.models import Roadmap
from schools.models import Membership, Region

Review = ExecutionReport.Review
Status = ExecutionReport.Status
DEMO_REGION = "70"
LIMIT = 600

RETURN_COMMENTS = [
    "Приложите приказ с подписью и номером, а не проект.",
    "Ссылка не открывается — проверьте адрес страницы на сайте.",
    "Нет списка участников, указанного в плане как результат.",
]


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF, small enough for fixtures (text is ASCII: it is only a placeholder)."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def load_demo() -> str:
    for roadmap in Roadmap.objects.filter(status=Roadmap.Status.APPROVED):
        generate_obligations(roadmap)  # idempotent: usually done already when the roadmap was approved
    region = Region.objects.filter(code=DEMO_REGION).first()
    made = fill_reports(region) if region else 0
    return f"обязательств: {Obligation.objects.count()}, новых демо-отчётов об исполнении: {made}"


@transaction.atomic
def fill_reports(region: Region) -> int:
    if ExecutionReport.objects.filter(region=region).exists():
        return 0
    rng = random.Random(2023)
    tz = ZoneInfo(region.timezone)
    filers = {
        m.organization_id: m.user
        for m in Membership.objects.filter(region=region).exclude(role="department").select_related("user")
    }
    coordinator = Membership.objects.filter(region=region, role="coordinator").select_related("user").first()
    reviewer = coordinator.user if coordinator else None
    obligations = list(
        Obligation.objects.filter(region=region, due_date__lte=dt.date(2023, 12, 31))
        .select_related("item", "executor")
        .order_by("due_date", "pk")
    )
    rng.shuffle(obligations)
    files = 0
    count = 0
    for obligation in obligations[:LIMIT]:
        roll = rng.random()
        if roll < 0.22:
            continue  # nothing filed: shows as overdue
        author = filers.get(obligation.executor_id) or reviewer
        due = dt.datetime.combine(obligation.due_date, dt.time(12), tzinfo=tz)
        late = roll > 0.88
        submitted_at = (
            due + dt.timedelta(days=rng.randint(3, 20))
            if late
            else due - dt.timedelta(days=rng.randint(0, 10))
        )
        if roll < 0.62:
            state, reviewed = Review.ACCEPTED, submitted_at + dt.timedelta(days=rng.randint(1, 5))
        elif roll < 0.74:
            state, reviewed = Review.RETURNED, submitted_at + dt.timedelta(days=2)
        else:
            state, reviewed = Review.SUBMITTED, None
        report = ExecutionReport.objects.create(
            region=region,
            obligation=obligation,
            status=Status.DONE if rng.random() > 0.1 else Status.PARTIAL,
            comment="Мероприятие проведено, материалы размещены." if rng.random() > 0.5 else "",
            actual_value=obligation.item.target_value,
            done_on=obligation.due_date - dt.timedelta(days=rng.randint(0, 5)),
            review_state=state,
            submitted_at=submitted_at,
            submitted_by=author,
            is_late=late,
            reviewed_at=reviewed,
            reviewed_by=reviewer if reviewed else None,
            review_comment=rng.choice(RETURN_COMMENTS) if state == Review.RETURNED else "",
        )
        if files < 12 and rng.random() < 0.15:
            evidence = Evidence(
                region=region,
                report=report,
                kind=Evidence.Kind.FILE,
                original_name=f"Приказ по п. {obligation.item.number.rstrip('.')}.pdf",
                content_type="application/pdf",
                uploaded_by=author,
                description="Приказ",
            )
            data = tiny_pdf(f"Demo evidence {obligation.pk}")
            evidence.size = len(data)
            evidence.file.save(f"demo-{obligation.pk}.pdf", ContentFile(data), save=False)
            evidence.save()
            files += 1
        else:
            Evidence.objects.create(
                region=region,
                report=report,
                kind=Evidence.Kind.LINK,
                url=f"https://toipkro.ru/shnor/{obligation.item.number.rstrip('.')}",
                description="Публикация на сайте",
                uploaded_by=author,
            )
        events = [
            ReportEvent(
                region=region,
                report=report,
                user=author,
                action="submitted",
                status=report.status,
                review_state="submitted",
            )
        ]
        if reviewed:
            events.append(
                ReportEvent(
                    region=region,
                    report=report,
                    user=reviewer,
                    action=state,
                    status=report.status,
                    review_state=state,
                    comment=report.review_comment,
                )
            )
        ReportEvent.objects.bulk_create(events)
        count += 1
    return count
