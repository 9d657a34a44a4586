"""Scale: the generated corpus and its gold, streaming in bounded chunks, worker processes and a Dask cluster
giving exactly the single-process timeline, and merge quality measured against the generator's gold."""
from __future__ import annotations

import gc
import json
import pickle
import socket
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bench.corpus import generate, write_corpus
from bench.merge_score import score_timeline
from timeline import build_timeline
from timeline.errors import IngestError
from timeline.events import extract_mentions
from timeline.corpora import RawRow
from timeline.export import events_csv, mentions_csv
from timeline.ingest import iter_documents, iter_sources
from timeline.merge import MAX_POSTINGS, merge_mentions
from timeline.partition import cut_months, share_values
from timeline.pipeline import collector_paused, stream_timeline
from timeline.scale import LOCAL_CLUSTER_CONFIG, build_parallel, dask_client, in_order
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


def test_dask_local_cluster_starts_while_the_dashboard_port_is_taken(tmp_path):
    # A notebook's Dask dashboard (or another build) holding 8787 must not stop a build.
    import socket

    path = tmp_path / "a.txt"
    path.write_text("Published: 2025-01-29\n\nShares of Altmark fell on Monday.\n", encoding="utf-8")
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8787))
        holder.listen()
    except OSError:
        pass  # already held by something else: the condition under test holds either way
    try:
        built = build_parallel([path], engine="dask", jobs=1, progress=False)
    finally:
        holder.close()
    assert [e.value for e in built.events] == ["2025-01-27"]


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


def write_jsonl(path: Path, records: list, extra: bytes = b"") -> Path:
    path.write_bytes(b"".join((json.dumps(r) if not isinstance(r, str) else r).encode() + b"\n" for r in records)
                     + extra)
    return path


def assert_same_timeline(parallel, single) -> None:
    assert events_csv(parallel) == events_csv(single) and mentions_csv(parallel) == mentions_csv(single)
    assert [d.id for d in parallel.documents] == [d.id for d in single.documents]
    assert parallel.documents == single.documents and parallel.unresolved == single.unresolved
    assert parallel.skipped == single.skipped


def test_build_parallel_duplicate_ids_are_renamed_after_tagging_as_in_one_process(tmp_path):
    # Workers tag records under the ids they were given; the driver makes ids unique in reading order ("a", "a-2"
    # taken by a later record, so "a-3"...) and the mentions, merged on the workers, carry the new ids.
    records = [{"id": "a" if i % 3 else "a-2", "published": "2025-03-10",
                "text": f"Norvale Steel closed its Tarsk plant on March {3 + i % 5}, 2025. Unions protested on Monday."}
               for i in range(40)]
    path = write_jsonl(tmp_path / "dupes.jsonl", records)
    single = build_timeline(path, progress=False)
    parallel = build_parallel([path], jobs=2, progress=False)
    assert len({d.id for d in single.documents}) == 40
    assert_same_timeline(parallel, single)


def test_build_parallel_undated_documents_take_the_consensus_date_in_their_place(tmp_path):
    # Undated records come back whole from the workers, wait for the run's median date, are tagged in a second
    # pass and keep their place in the document order (and the merge's).
    records = [{"id": f"d{i}", **({"published": f"2025-03-{10 + i % 9}"} if i % 4 else {}),
                "text": f"Norvale Steel shares fell on Monday. The mill in Tarsk closed on Tuesday (item {i})."}
               for i in range(30)]
    path = write_jsonl(tmp_path / "undated.jsonl", records)
    single = build_timeline(path, progress=False)
    parallel = build_parallel([path], jobs=2, progress=False, keep_text=False)
    assert sum(d.published_source.value == "inferred-corpus" for d in single.documents) == 8
    assert [replace(d, text="") for d in single.documents] == list(parallel.documents)
    assert events_csv(parallel) == events_csv(single) and mentions_csv(parallel) == mentions_csv(single)


def test_build_parallel_skips_what_one_process_skips_in_the_same_order(tmp_path):
    # Records that fail to parse are skipped on the workers, lines that are not UTF-8 and files that cannot be
    # read by the reader: the timeline lists them all in reading order either way.
    folder = tmp_path / "inputs"
    folder.mkdir()
    good = {"published": "2025-03-10", "text": "Norvale Steel closed its Tarsk plant on March 3, 2025."}
    write_jsonl(folder / "a.jsonl", [good, "{not json", {"title": "no text"}, good, {**good, "published": "soon"}],
                extra=b'{"text": "caf\xe9"}\n' + json.dumps(good).encode() + b"\n")
    (folder / "b.jsonl").write_text("\n\n", encoding="utf-8")
    (folder / "c.txt").write_text("Published: 2025-03-12\n\nUnions in Tarsk protested on Monday.", encoding="utf-8")
    (folder / "d.xyz").write_text("what is this", encoding="utf-8")
    single = build_parallel([folder], jobs=1, progress=False, strict=False)
    parallel = build_parallel([folder], jobs=2, progress=False, strict=False)
    assert [(Path(s.path).name, s.line) for s in single.skipped] == [
        ("a.jsonl", 2), ("a.jsonl", 3), ("a.jsonl", 5), ("a.jsonl", 6), ("b.jsonl", None), ("d.xyz", None)]
    assert_same_timeline(parallel, single)


@pytest.mark.parametrize("records, extra, line", [
    (["{not json"] * 3, b"", 1),
    ([{"published": "2025-03-10", "text": "Shares fell on Monday."}] * 300 + ["{not json"], b'{"text": "caf\xe9"}\n', 301),
    ([{"published": "2025-03-10", "text": "Shares fell on Monday."}] * 300, b'{"text": "caf\xe9"}\n{not json\n', 301),
], ids=["first-record", "worker-error-before-reader-error", "reader-error-before-worker-error"])
def test_build_parallel_strict_raises_the_first_error_in_reading_order(tmp_path, records, extra, line):
    # The reader (not UTF-8) and the workers (not JSON) meet errors at different times; either way the build
    # raises the one a single process meets first.
    path = write_jsonl(tmp_path / "bad.jsonl", records, extra)
    with pytest.raises(IngestError) as single:
        build_timeline(path, progress=False)
    with pytest.raises(IngestError) as parallel:
        build_parallel([path], jobs=2, progress=False)
    assert str(parallel.value) == str(single.value) and single.value.line == line == parallel.value.line


@pytest.mark.slow
def test_dask_matches_one_process_with_duplicate_ids_undated_records_and_skips(tmp_path):
    # On Dask the month groups stay on the workers that tagged them; renamed ids, the late pass of undated
    # records and skipped inputs come out as in one process.
    records = [{"id": "a" if i % 2 else f"d{i}", **({"published": f"2025-03-{10 + i % 9}"} if i % 5 else {}),
                "text": f"Norvale Steel shares fell on Monday. The Tarsk mill closed on March {1 + i % 7}, 2025."}
               for i in range(60)]
    path = write_jsonl(tmp_path / "mixed.jsonl", records[:30] + ["{not json"] + records[30:])
    single = build_parallel([path], jobs=1, progress=False, strict=False)
    dask = build_parallel([path], engine="dask", jobs=2, progress=False, strict=False)
    assert len(single.skipped) == 1 and any(d.published_source.value == "inferred-corpus" for d in single.documents)
    assert_same_timeline(dask, single)


def test_build_parallel_reads_documents_and_records_alike(tmp_path):
    # Text files are read by the driver, JSONL records parsed on the workers: one timeline, in reading order.
    (tmp_path / "a.txt").write_text("Published: 2025-03-12\n\nNorvale Steel closed its Tarsk plant on Monday.",
                                    encoding="utf-8")
    write_jsonl(tmp_path / "b.jsonl", [{"id": "a", "published": "2025-03-11",
                                        "text": "Norvale Steel shut the Tarsk plant on March 10, 2025."}])
    paths = [tmp_path / "a.txt", tmp_path / "b.jsonl", DATA]
    single = build_timeline(paths, progress=False)
    assert_same_timeline(build_parallel(paths, jobs=2, progress=False), single)
    assert [d.id for d in single.documents][:2] == ["a", "a-2"]


# One verb of each of these predicate classes: tellings of one day by different kinds of act stay apart.
VERBS = ("accused regulators", "fell sharply", "rose sharply", "bought a mill", "sold a mill", "won a contract",
         "launched a boat", "sued a rival", "closed a mill", "cancelled a deal", "delivered a boat",
         "postponed a vote", "banned a union")


def test_final_pass_sees_the_clusters_a_key_files_beyond_the_postings_kept(tmp_path):
    # A block sends back only the last MAX_POSTINGS clusters filed under each key the final pass looks up (the
    # only ones it ever compares with): a year-long mention of a company with more clusters than that in one
    # month joins the cluster it joins in the one-pass block merge.
    records = [{"id": f"d{i}", "published": "2025-03-30",
                "text": f"Norvale Steel {VERBS[i % len(VERBS)]} on March {1 + i // len(VERBS)}, 2025."}
               for i in range(len(VERBS) * 9)]
    records.append({"id": "year", "published": "2025-04-02", "text": "Norvale Steel closed a mill in 2025."})
    path = write_jsonl(tmp_path / "many.jsonl", records)
    documents = list(iter_documents([path]))
    mentions = [m for doc in documents for m in extract_mentions(doc)]
    serial = lambda function, tasks: [function(task) for task in tasks]  # noqa: E731
    blocks = merge_mentions(mentions, map_tasks=serial, blocks=4, document_order=[d.id for d in documents])
    parallel = build_parallel([path], jobs=2, progress=False)
    assert [(e.id, e.documents) for e in parallel.events] == [(e.id, e.documents) for e in blocks]
    assert sum(e.interval.days == 1 for e in blocks) > MAX_POSTINGS
    assert any("year" in e.documents and len(e.documents) > 1 for e in parallel.events)


def test_collector_paused_restores_the_collector():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cut_months_starts_a_run_once_the_last_holds_its_share():
    counts = {24300: 5, 24301: 1, 24302: 7, 24305: 2, 24306: 9}  # 24 mentions: 8 a run
    assert cut_months(counts, 3) == [(24300, 24301, 24302), (24305, 24306)]
    assert cut_months(counts, 1) == [tuple(sorted(counts))] and cut_months({}, 4) == []


def test_share_values_keeps_every_mention_and_holds_equal_values_once():
    # Two articles tell the same day and name the same company: the driver will unpickle one date, not two.
    docs = [Document(f"d{i}", "Norvale Steel closed the Tarsk mill on March 4, 2025.", published=date(2025, 3, 10))
            for i in range(2)]
    # Each arrives pickled apart, as the month groups of different chunks reach a block merge.
    mentions = [m for doc in docs for m in pickle.loads(pickle.dumps(extract_mentions(doc)))]
    shared = share_values(mentions)
    assert shared == mentions and len(mentions) == 2
    assert shared[0].timex.interval is shared[1].timex.interval and shared[0].names is shared[1].names
    assert mentions[0].timex.interval is not mentions[1].timex.interval
    assert len(pickle.dumps(shared)) < len(pickle.dumps(mentions))


@pytest.mark.slow
def test_dask_client_starts_beside_a_cluster_on_the_default_port():
    # Another cluster's HTTP server on 8787 made distributed warn (an error under our warning filter) and failed
    # the build; the local cluster's servers also poll at the slower intervals of LOCAL_CLUSTER_CONFIG.
    taken = socket.socket()
    try:
        taken.bind(("127.0.0.1", 8787))
        taken.listen()
    except OSError:
        pass  # someone else holds it already, which is the case under test
    try:
        client, close = dask_client(None, 1)
        try:
            import dask

            ticks = client.run(lambda: dask.config.get("distributed.admin.tick.interval"))
            assert list(ticks.values()) == [LOCAL_CLUSTER_CONFIG["distributed.admin.tick.interval"]]
        finally:
            close()
    finally:
        taken.close()


def test_build_parallel_leaves_csv_rows_to_the_workers(tmp_path):
    # A CSV corpus's rows reach the workers split but not yet documents (RawRow): a row without text is skipped,
    # or stops a strict build, in its place, as in one process.
    rows = [f'd{i},2025-03-{10 + i % 9},"Norvale Steel shares fell on Monday, the {i}th."' for i in range(40)]
    path = tmp_path / "corpus.csv"
    path.write_text("id,published,text\n" + "\n".join(rows[:25] + ["bad,2025-03-11,"] + rows[25:]) + "\n",
                    encoding="utf-8")
    assert all(isinstance(source, RawRow) for source in iter_sources([path], skipped=[]))
    single = build_parallel([path], jobs=1, progress=False, strict=False)
    parallel = build_parallel([path], jobs=2, progress=False, strict=False)
    assert [s.line for s in single.skipped] == [s.line for s in parallel.skipped] == [27]
    assert_same_timeline(parallel, single)
    with pytest.raises(IngestError) as one:
        build_timeline(path, progress=False)
    with pytest.raises(IngestError) as many:
        build_parallel([path], jobs=2, progress=False)
    assert str(many.value) == str(one.value) and many.value.line == one.value.line == 27
