"""What decides how a build scales past this machine's cores: the share of a single-process build's time that
stays serial when tagging and merging run on workers (reading, handing work out and back, the final merge pass,
ordering). Measured as the driver process's own CPU time in a `--jobs N` build over the CPU time of a
one-process build of the same corpus; Amdahl's law then bounds the speed-up on k workers by 1 / (s + (1 - s) / k).
With `--engine dask` the driver's CPU time includes the local cluster's scheduler and its workers' nannies, which
run in it (timeline.scale.LOCAL_CLUSTER_CONFIG keeps their polling low).

Each build runs in a process of its own and also reports its articles/s and the peak resident memory of all its
processes (driver, workers, scheduler), sampled from this process.

`python -m bench.serial_share [N] [--jobs J] [--engine local|dask]` (default: 20,000 generated articles, 2 jobs).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.corpus import write_corpus
from bench.merge_score import score_timeline
from bench.scale import peak_tree_rss
from timeline.scale import build_parallel



def cpu_build(path: Path, jobs: int, engine: str = "local"):
    started_cpu, started = time.process_time(), time.perf_counter()
    built = build_parallel([path], jobs=jobs, engine=engine, progress=False, keep_text=False)
    return built, time.process_time() - started_cpu, time.perf_counter() - started


def build_and_report(path: Path, gold: Path, jobs: int, engine: str) -> None:
    """(In a child process.) Build, and print the driver's CPU time, the wall time, the events and the merge
    quality as JSON."""
    built, cpu, wall = cpu_build(path, jobs, engine)
    print(json.dumps({"cpu": cpu, "wall": wall, "events": len(built.events),
                      "quality": score_timeline(built, gold).lines()[0]}))


def measured_build(path: Path, gold: Path, jobs: int, engine: str) -> dict:
    """A build in a process of its own (so one build's memory is not the other's), with its peak memory."""
    child = psutil.Popen([sys.executable, "-m", "bench.serial_share", "--build", str(path), str(gold),
                          "--jobs", str(jobs), "--engine", engine], stdout=subprocess.PIPE, text=True)
    peak = peak_tree_rss(child)
    out = child.stdout.read()
    if child.returncode:
        raise SystemExit(f"build --jobs {jobs} --engine {engine} failed ({child.returncode})")
    return {**json.loads(out.splitlines()[-1]), "peak": peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--build", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        build_and_report(*args.build, args.jobs, args.engine)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path, gold = write_corpus(Path(folder), args.articles, seed=5)
        one = measured_build(path, gold, 1, "local")
        many = measured_build(path, gold, args.jobs, args.engine)
    share = many["cpu"] / one["cpu"]
    print(f"serial share on {args.articles:,} generated articles: driver {many['cpu']:.2f} s CPU with "
          f"--jobs {args.jobs} --engine {args.engine} / one process {one['cpu']:.1f} s CPU = {share:.3f}")
    for workers in (4, 16):
        print(f"  Amdahl bound on {workers} workers: {1 / (share + (1 - share) / workers):.1f}x")
    for name, run in (("one process", one), (f"--jobs {args.jobs} --engine {args.engine}", many)):
        print(f"  {name}: {run['wall']:.1f} s wall, {args.articles / run['wall']:,.0f} articles/s, "
              f"peak memory {run['peak']:,.0f} MB (all its processes), {run['events']} events, "
              f"merge quality {run['quality']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
