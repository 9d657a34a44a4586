"""Scale: the generated corpus and its gold, streaming in bounded chunks, worker processes and a Dask cluster
giving exactly the single-process timeline, and merge quality measured against the generator's gold."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bench.corpus import generate, write_corpus
from bench.merge_score import score_timeline
from timeline import build_timeline
from timeline.errors import IngestError
from timeline.export import events_csv, mentions_csv
from timeline.pipeline import stream_timeline
from timeline.scale import build_parallel, in_order
from timeline.types import Document

from conftest import DATA


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"), 400, seed=11)


def test_generate_is_deterministic_and_gold_points_at_sentences():
    first = [a.record for a in generate(50, seed=3)]
    assert first == [a.record for a in generate(50, seed=3)] and first != [a.record for a in generate(50, seed=4)]
    for article in generate(50, seed=3):
        for _doc, start, end, _event, day, _last in article.gold:
            text = article.record["text"]
            assert text[start:end].endswith(".") and (start == 0 or text[start - 2:start] == ". ")
            assert end == len(text) or text[end] == " "
            assert "2022-01-03" <= day <= "2026-12-31"


def test_generate_retells_events_in_several_articles():
    told: dict[str, set[str]] = {}
    for article in generate(300, seed=5):
        for doc, _s, _e, event, _f, _l in article.gold:
            told.setdefault(event, set()).add(doc)
    retold = [e for e, docs in told.items() if len(docs) >= 3]
    assert len(retold) > len(told) // 4


def test_merge_quality_on_generated_corpus(corpus):
    path, gold = corpus
    score = score_timeline(build_timeline(path, progress=False), gold)
    assert score.f1 >= 0.95 and score.bcubed_f1 >= 0.95, score.lines()
    assert score.dated_within >= 0.95 and score.missed == 0, score.lines()


def test_build_parallel_jobs_match_single_process():
    single = build_parallel([DATA], jobs=1, progress=False)
    parallel = build_parallel([DATA], jobs=2, progress=False)
    assert events_csv(parallel) == events_csv(single) and len(single.events) > 5


def test_build_parallel_on_corpus_matches_single_process(corpus):
    path, _gold = corpus
    single = build_timeline(path, progress=False)
    parallel = build_parallel([path], jobs=2, progress=False, keep_text=False)
    assert events_csv(parallel) == events_csv(single) and mentions_csv(parallel) == mentions_csv(single)
    assert all(d.text == "" for d in parallel.documents) and all(d.text for d in single.documents)


@pytest.mark.slow
def test_dask_local_cluster_matches_local_run(corpus):
    path, _gold = corpus
    local = build_parallel([path], progress=False)
    dask = build_parallel([path], engine="dask", jobs=2, progress=False)
    assert len(local.events) > 100
    assert events_csv(dask) == events_csv(local) and mentions_csv(dask) == mentions_csv(local)


def test_undated_documents_wait_for_the_consensus_in_their_place():
    docs = [Document("a", "Shares fell on Monday.", published=None),
            Document("b", "The mill closed on Monday.", published=date(2025, 1, 29)),
            Document("c", "The port reopened on Monday.", published=date(2025, 1, 31))]
    built = stream_timeline(docs)
    assert [d.id for d in built.documents] == ["a", "b", "c"]
    assert built.documents[0].published.isoformat() == "2025-01-29"
    assert built.documents[0].published_source.value == "inferred-corpus"
    assert {e.value for e in built.events} == {"2025-01-27"}


def test_stream_reads_documents_as_it_tags_them():
    read = []

    def documents():
        for i in range(300):
            read.append(i)
            yield Document(f"d{i}", "The plant closed on Monday.", published=date(2025, 1, 29))

    tagged_when_read = []

    def mapper(chunks):
        for chunk in chunks:
            tagged_when_read.append(len(read))
            yield [[] for _ in chunk]

    stream_timeline(documents(), map_chunks=mapper)
    assert tagged_when_read[0] < 100 and tagged_when_read == sorted(tagged_when_read)


def test_in_order_keeps_a_bounded_window():
    pending = []

    class Done:
        def __init__(self, value):
            self.value = value

        def result(self):
            pending.remove(self)
            return self.value

    def submit(chunk):
        done = Done(chunk)
        pending.append(done)
        assert len(pending) <= 3
        return done

    assert list(in_order(submit, iter([[1], [2], [3], [4], [5]]), window=3)) == [[1], [2], [3], [4], [5]]


def test_corpus_jsonl_streams_from_file(corpus, tmp_path):
    path, _gold = corpus
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(("\n".join(lines[:250]) + "\n").encode() + b'{"text": "caf\xe9"}\n')
    with pytest.raises(IngestError) as error:
        build_timeline(bad, progress=False)
    assert str(error.value).startswith(f"{bad}:251: not UTF-8")
    assert json.loads(lines[0])["published"]
