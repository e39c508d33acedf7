"""The marker that tells a benchmark database from a real one."""

from django.db import models


class BenchDataset(models.Model):
    """One row per `seed_bench` load; its presence marks the database as benchmark-only."""

    class State(models.TextChoices):
        LOADED = "loaded", "raw rows loaded"
        READY = "ready", "ready (derived tables filled, analyzed)"

    bulletins = models.PositiveIntegerField()
    seed = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.LOADED)
    created_at = models.DateTimeField(auto_now_add=True)
    # Row counts per table and seconds per load phase, for the results file.
    details = models.JSONField(default=dict)

    def __str__(self):
        return f"{self.bulletins} bulletins ({self.state})"
