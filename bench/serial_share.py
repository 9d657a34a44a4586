"""What decides how a build scales past this machine's cores: the share of a single-process build's time that
stays serial when tagging and merging run on workers (reading, handing work out and back, the final merge pass,
ordering). Measured as the driver process's own CPU time in a `--jobs N` build over the CPU time of a
one-process build of the same corpus; Amdahl's law then bounds the speed-up on k workers by 1 / (s + (1 - s) / k).
With `--engine dask` the driver's CPU time includes the local cluster's scheduler, which runs in it.

Each build also reports its articles/s and the peak resident memory of all its processes (driver, workers,
scheduler), sampled by a watcher process whose own CPU time is not counted.

`python -m bench.serial_share [N] [--jobs J] [--engine local|dask]` (default: 20,000 generated articles, 2 jobs).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.corpus import write_corpus
from bench.merge_score import score_timeline
from timeline.scale import build_parallel

POLL_SECONDS = 0.2


def cpu_build(path: Path, jobs: int, engine: str = "local"):
    started_cpu, started = time.process_time(), time.perf_counter()
    built = build_parallel([path], jobs=jobs, engine=engine, progress=False, keep_text=False)
    return built, time.process_time() - started_cpu, time.perf_counter() - started


def watch(pid: int) -> None:
    """Sample the summed resident memory of `pid` and its descendants (this watcher left out); on each line read
    from standard input, print the peak since the last one, in MB."""
    import psutil

    root, me = psutil.Process(pid), os.getpid()
    peak = 0
    lock = threading.Lock()

    def answer() -> None:
        nonlocal peak
        for _line in sys.stdin:
            with lock:
                print(f"{peak / 2**20:.0f}", flush=True)
                peak = 0

    threading.Thread(target=answer, daemon=True).start()
    while root.is_running():
        try:
            tree = [root, *(p for p in root.children(recursive=True) if p.pid != me)]
            total = sum(p.memory_info().rss for p in tree)
        except psutil.Error:
            total = 0  # a worker ended between listing and reading it
        with lock:
            peak = max(peak, total)
        time.sleep(POLL_SECONDS)


class Watcher:
    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-m", "bench.serial_share", "--watch", str(os.getpid())],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def peak_mb(self) -> float:
        """The peak since the last call."""
        time.sleep(2 * POLL_SECONDS)
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.kill()
        self.process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--watch", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.watch:
        watch(args.watch)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path, gold = write_corpus(Path(folder), args.articles, seed=5)
        watcher = Watcher()
        try:
            watcher.peak_mb()
            one, one_cpu, one_wall = cpu_build(path, 1)
            one_peak = watcher.peak_mb()
            many, driver_cpu, many_wall = cpu_build(path, args.jobs, args.engine)
            many_peak = watcher.peak_mb()
        finally:
            watcher.close()
        share = driver_cpu / one_cpu
        print(f"serial share on {args.articles:,} generated articles: driver {driver_cpu:.2f} s CPU with "
              f"--jobs {args.jobs} --engine {args.engine} / one process {one_cpu:.1f} s CPU = {share:.3f}")
        for workers in (4, 16):
            print(f"  Amdahl bound on {workers} workers: {1 / (share + (1 - share) / workers):.1f}x")
        print(f"  one process: {one_wall:.1f} s wall, {args.articles / one_wall:,.0f} articles/s, "
              f"peak memory {one_peak:,.0f} MB")
        print(f"  --jobs {args.jobs} --engine {args.engine}: {many_wall:.1f} s wall, "
              f"{args.articles / many_wall:,.0f} articles/s, peak memory {many_peak:,.0f} MB (all processes)")
        print(f"  events {len(one.events)} vs {len(many.events)}")
        print(f"  merge quality one process: {score_timeline(one, gold).lines()[0]}")
        print(f"  merge quality --jobs {args.jobs}: {score_timeline(many, gold).lines()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
