"""Building blocks every app uses, and the tables of the process roles themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from balie.tenancy.models import Shop


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ShopScopedQuerySet(models.QuerySet[Any]):
    def for_shop(self, shop: Shop) -> Self:
        """The only way selectors and services should start a query on tenant data."""
        return self.filter(shop=shop)


class ShopScopedModel(TimeStampedModel):
    """A row that belongs to exactly one shop (tenant).

    Every query on it starts with `Model.objects.for_shop(shop)`; a request's shop comes from
    the signed-in agent or the API key, never from an id the client sends.
    """

    shop = models.ForeignKey("tenancy.Shop", on_delete=models.CASCADE, related_name="+")

    objects = ShopScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """One row per running task worker, touched every few seconds; `/readyz` reads it."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class SchedulerLease(models.Model):
    """The named lock that keeps exactly one scheduler active across all machines.

    A scheduler holds the lease while it renews it before `expires_at`; another takes it over
    only after it expired, by a conditional UPDATE that works the same on SQLite and PostgreSQL.
    """

    name = models.CharField(max_length=64, unique=True)
    holder = models.CharField(max_length=128)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.expires_at:%H:%M:%S}"


class ScheduledJobRun(models.Model):
    """When each periodic job was last enqueued, so restarts neither skip nor repeat a run."""

    name = models.CharField(max_length=128, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
