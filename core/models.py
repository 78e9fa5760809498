"""Infrastructure rows with no domain knowledge: the outbox of work queued after a commit."""

from django.db import models


class OutboxMessage(models.Model):
    """A Celery task that must run because a transaction committed.

    Written in the same transaction as the change that needs it, so the work is recorded exactly
    when the change is; published on commit and, if the broker was down or the message was lost,
    again by the sweeper (``core.tasks.sweep_outbox_task``). Deleted when the task succeeds.
    Tasks sent through the outbox must be idempotent: a lost acknowledgement runs them twice.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a message last reached the broker (null: never — the broker was down).
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["failed_at", "published_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
