"""Generated corpora of growing size -> `timeline build` throughput (articles/s), peak memory of the whole process
tree, growth with N, the same build on a Dask LocalCluster, and merge quality against the generator's gold.

    python -m bench.scale --sizes 1000,10000,100000 --jobs 2 --dask-size 10000
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench.corpus import write_corpus
from bench.merge_score import MergeScore, score_files

POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Run:
    articles: int
    seconds: float
    peak_mb: float
    score: MergeScore

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds


def peak_tree_rss(process: psutil.Popen) -> float:
    """Wait for `process`, sampling the summed resident memory of it and its children; the peak, in MB."""
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass  # a worker ended between listing and reading it
        time.sleep(POLL_SECONDS)
    return peak / 2**20


def run_build(corpus: Path, gold: Path, out: Path, articles: int, jobs: int, engine: str = "local") -> Run:
    events, mentions = out / f"events-{engine}.csv", out / f"mentions-{engine}.csv"
    command = [sys.executable, "-m", "timeline.cli", "build", str(corpus), "--out", str(events), "--mentions",
               str(mentions), "--jobs", str(jobs), "--engine", engine, "--no-progress"]
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_tree_rss(process)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build failed: {process.stderr.read().decode()[-2000:]}")
    return Run(articles, seconds, peak, score_files(events, mentions, gold))


def report(run: Run, label: str) -> None:
    print(f"  {label:>22}: {run.articles:>7,} articles in {run.seconds:7.1f} s = {run.per_second:6,.0f} articles/s,"
          f" peak memory {run.peak_mb:6,.0f} MB (all processes)")
    for line in run.score.lines():
        print(f"  {'':>22}  {line}")


def measure(sizes: list[int], jobs: int, dask_size: int | None, folder: Path) -> list[Run]:
    runs = []
    print(f"scale: generated corpora (bench/corpus.py), `timeline build --jobs {jobs}` as users run it")
    for size in sizes:
        corpus, gold = write_corpus(folder / str(size), size)
        run = run_build(corpus, gold, folder / str(size), size, jobs)
        report(run, f"local, {jobs} processes")
        runs.append(run)
        if dask_size == size:
            dask = run_build(corpus, gold, folder / str(size), size, jobs, engine="dask")
            report(dask, "Dask LocalCluster, 2 w.")
            same = (folder / str(size) / "events-dask.csv").read_bytes() == (folder / str(size) / "events-local.csv").read_bytes()
            print(f"  {'':>22}  Dask events.csv {'identical to' if same else 'DIFFERS from'} the local run's")
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        growth = (last.seconds / first.seconds) / (last.articles / first.articles)
        print(f"  time grows {last.seconds / first.seconds:.1f}x for {last.articles / first.articles:.0f}x the articles"
              f" (1.0 = linear: {growth:.2f})")
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dask-size", type=int, default=10000, help="also run this size on Dask (0: never)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="timeline-scale-") as folder:
        measure([int(s) for s in args.sizes.split(",")], args.jobs, args.dask_size or None, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
