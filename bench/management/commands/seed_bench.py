"""Load the national benchmark data set (1 + 31 + 330 + 2,800 units, N bulletins over three years)."""

from django.core.management.base import BaseCommand

from bench import seed as bench_seed
from bench.models import BenchDataset


class Command(BaseCommand):
    help = (
        "Load the benchmark data set with COPY into a dedicated PostgreSQL database. Refuses a database "
        "that holds anything seed_bench did not create; --reset replaces an earlier benchmark data set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bulletins", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--reset", action="store_true", help="replace an existing benchmark data set")
        parser.add_argument(
            "--if-absent",
            action="store_true",
            help="do nothing when a ready data set with this many bulletins is already loaded",
        )
        parser.add_argument("--maintenance-work-mem", default="1GB")
        parser.add_argument(
            "--toast-compression", default=None, choices=("lz4", "pglz"), help="default: lz4 where the server has it"
        )

    def handle(self, *args, bulletins, seed: int, reset, if_absent, maintenance_work_mem, toast_compression, **options):
        if if_absent:
            dataset = BenchDataset.objects.order_by("-pk").first()
            if dataset and dataset.state == BenchDataset.State.READY and dataset.bulletins == bulletins:
                self.stdout.write(f"Benchmark data set of {bulletins} bulletins already loaded.")
                return
            reset = True  # a different or unfinished benchmark data set is replaced
        self.stdout.write(f"Loading {bulletins} bulletins (seed {seed}) …")
        details = bench_seed.load(
            bulletins=bulletins,
            seed=seed,
            reset=reset,
            stdout=self.stdout,
            maintenance_work_mem=maintenance_work_mem,
            toast_compression=toast_compression,
        )
        counts = details["counts"]
        self.stdout.write(self.style.SUCCESS(f"Loaded in {details['timings']['total']:.1f} s: {counts}"))
