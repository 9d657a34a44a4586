"""Several processes give exactly the timeline one process gives."""
from __future__ import annotations

from timeline.export import events_csv
from timeline.scale import build_parallel

from conftest import DATA


def test_build_parallel_jobs_match_single_process():
    single = build_parallel([DATA], jobs=1, progress=False)
    parallel = build_parallel([DATA], jobs=2, progress=False)
    assert events_csv(parallel) == events_csv(single) and len(single.events) > 5
