"""What decides how a build scales past this machine's cores: the share of a single-process build's time that
stays serial when tagging and merging run on workers (reading, handing work out and back, the final merge pass,
ordering). Measured as the driver process's own CPU time in a `--jobs N` build over the CPU time of a
one-process build of the same corpus; Amdahl's law then bounds the speed-up on k workers by 1 / (s + (1 - s) / k).

`python -m bench.serial_share [N] [--jobs J]` (default: 20,000 generated articles, 2 jobs).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from bench.merge_score import score_timeline
from timeline.scale import build_parallel


def cpu_build(path: Path, jobs: int, engine: str = "local"):
    started_cpu, started = time.process_time(), time.perf_counter()
    built = build_parallel([path], jobs=jobs, engine=engine, progress=False, keep_text=False)
    return built, time.process_time() - started_cpu, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="dask: the driver's CPU time includes the local cluster's scheduler, which runs in it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path, gold = write_corpus(Path(folder), args.articles, seed=5)
        one, one_cpu, one_wall = cpu_build(path, 1)
        many, driver_cpu, many_wall = cpu_build(path, args.jobs, args.engine)
        share = driver_cpu / one_cpu
        print(f"serial share on {args.articles:,} generated articles: driver {driver_cpu:.1f} s CPU with "
              f"--jobs {args.jobs} --engine {args.engine} / one process {one_cpu:.1f} s CPU = {share:.3f}")
        for workers in (4, 16):
            print(f"  Amdahl bound on {workers} workers: {1 / (share + (1 - share) / workers):.1f}x")
        print(f"  wall: one process {one_wall:.1f} s, --jobs {args.jobs} {many_wall:.1f} s; "
              f"events {len(one.events)} vs {len(many.events)}")
        print(f"  merge quality one process: {score_timeline(one, gold).lines()[0]}")
        print(f"  merge quality --jobs {args.jobs}: {score_timeline(many, gold).lines()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
