"""The `timeline` command: outputs, the CSV contract, atomic writes, and one-line errors for bad input."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from timeline.cli import main
from timeline.export import EVENT_COLUMNS, MENTION_COLUMNS, neutralize

from conftest import DATA

CONTRACT = ["order", "event_id", "start", "end", "granularity", "value", "summary", "sentence", "phrases",
            "documents", "n_documents", "confidence", "conflict"]


def test_build_writes_csv_with_contract_columns(seeds, tmp_path):
    out, mentions = tmp_path / "events.csv", tmp_path / "mentions.csv"
    assert main(["build", str(seeds), "--published", "2025-01-29", "--out", str(out), "--mentions", str(mentions),
                 "--no-progress"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:len(CONTRACT)] == CONTRACT
    fall = [r for r in rows if r["start"] == "2025-01-27"]
    assert len(fall) == 1 and fall[0]["n_documents"] == "2"
    assert fall[0]["documents"].split(";") == ["000_0dca3edf39997dce", "002_4eaec2fcd81a511f"]
    mention_rows = list(csv.DictReader(mentions.open(encoding="utf-8")))
    assert set(MENTION_COLUMNS) <= set(mention_rows[0])
    monday = [m for m in mention_rows if m["phrase"] == "Monday"]
    assert {m["value"] for m in monday} == {"2025-01-27"}
    for m in monday:
        assert m["sentence"] and int(m["char_end"]) - int(m["char_start"]) == len("Monday")


@pytest.mark.parametrize("name,fmt", [("t.json", "json"), ("t.timelinejs.json", "timelinejs")])
def test_build_format_from_extension(tmp_path, name, fmt):
    out = tmp_path / name
    assert main(["build", str(DATA), "--out", str(out), "--no-progress"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    if fmt == "json":
        assert data["events"][0]["order"] == 1 and data["documents"]
    else:
        slide = data["events"][0]
        assert set(slide["start_date"]) == {"year", "month", "day"} and slide["text"]["headline"]
        assert "headline" in data["title"]["text"]


def test_build_events_have_edtf_and_published_source(tmp_path):
    out = tmp_path / "e.csv"
    main(["build", str(DATA), "--out", str(out), "--no-progress"])
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(EVENT_COLUMNS)
    autumn = next(r for r in rows if r["value"] == "2024-FA")
    assert autumn["edtf"] == "2024-23"
    assert any("inferred-url" in r["published_source"] for r in rows)


def test_neutralize_formula_cells():
    assert neutralize("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert neutralize("@SUM") == "'@SUM" and neutralize("plain") == "plain" and neutralize(3) == 3


def test_build_csv_neutralizes_formula_from_article(tmp_path, capsys):
    (tmp_path / "evil.txt").write_text("Published: 2025-01-29\n\n=cmd|' /C calc'!A0 happened on Monday.",
                                       encoding="utf-8")
    out = tmp_path / "e.csv"
    main(["build", str(tmp_path / "evil.txt"), "--out", str(out)])
    for row in csv.DictReader(out.open(encoding="utf-8")):
        assert not any(str(v).startswith("=") for v in row.values())


BAD = [
    (["build", "nope-missing"], "nope-missing: no such file"),
    (["build", str(DATA), "--published", "2025-02-30"], "is not a date"),
    (["build", str(DATA), "--out", "/nonexistent-dir/x.csv"], "cannot write here"),
    (["build", str(DATA), "--out", "x.xlsx"], "cannot tell the format"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=["missing", "date", "unwritable", "format"])
def test_build_bad_input_one_line_error(argv, message, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]


def test_build_strict_bad_file_keeps_previous_output(tmp_path):
    out = tmp_path / "e.csv"
    out.write_text("previous\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Fine on Monday.", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_bytes(b"\xff\xfe\x00bad")
    assert main(["build", str(tmp_path / "in"), "--out", str(out), "--strict"]) == 1
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".e.csv")] == []


def test_cli_entry_point_runs_as_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "timeline.cli", "build", str(tmp_path / "missing")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "no such file" in result.stderr


def test_build_shows_progress_for_many_documents(tmp_path):
    for i in range(8):
        (tmp_path / f"a{i}.txt").write_text(f"Published: 2025-01-2{i}\n\nThe mill closed on Monday.", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "timeline.cli", "build", str(tmp_path), "--out",
                             str(tmp_path / "o.csv")], capture_output=True, text=True)
    assert result.returncode == 0 and "tagging" in result.stderr and "8/8" in result.stderr


def test_tag_command_prints_json_lines(capsys):
    assert main(["tag", "Shares fell on Monday.", "--published", "2025-01-29"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["value"] == "2025-01-27"


def test_build_jobs_zero_uses_every_core_and_negative_is_refused(tmp_path, capsys):
    out = tmp_path / "e.csv"
    assert main(["build", str(DATA), "--out", str(out), "--jobs", "0", "--no-progress"]) == 0
    assert out.read_text(encoding="utf-8").startswith("order,event_id")
    assert main(["build", str(DATA), "--jobs", "-1"]) == 1
    assert "--jobs -1" in capsys.readouterr().err


def test_output_closed_early_by_the_reader_is_no_traceback():
    # "timeline tag ... | head": the reader goes away while we still write.
    process = subprocess.Popen([sys.executable, "-m", "timeline.cli", "tag", "--published", "2025-01-29"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(b"Shares fell on Monday. " * 20000)
    process.stdin.close()
    assert process.stdout.read(100)
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    assert b"Traceback" not in process.stderr.read()


def test_build_skips_bad_documents_and_reports_them(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"ok{i}.txt").write_text(f"Published: 2025-01-2{i}\n\nThe mill closed on Monday.", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\xff\xfe\x00bad")
    (folder / "c.txt").write_text("Published: sometime soon\n\nText.", encoding="utf-8")
    (folder / "notes.xlsx").write_bytes(b"PK")
    out = tmp_path / "t.json"
    assert main(["build", str(folder), "--out", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "3 of 6 documents read, 3 skipped" in err
    assert f"skipped {folder / 'c.txt'}:1: Published: 'sometime soon' is not a date" in err
    assert f"skipped {folder / 'notes.xlsx'}: unsupported file type '.xlsx'" in err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["documents"]) == 3 and data["events"]
    assert {(s["path"].rsplit("/", 1)[1], s["line"]) for s in data["skipped"]} == {("b.txt", None), ("c.txt", 1),
                                                                                  ("notes.xlsx", None)}
    assert main(["build", str(folder), "--out", str(out), "--strict"]) == 1


def test_build_skips_bad_records_of_a_corpus(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b'{"text": "It closed on Monday.", "published": "2025-01-29"}\n{broken\n'
                       b'{"text": "caf\xe9"}\n{"text": "It reopened on Tuesday.", "published": "Jan. 30, 2025"}\n')
    out = tmp_path / "t.json"
    assert main(["build", str(corpus), "--out", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "2 of 4 documents read, 2 skipped" in err and f"{corpus}:2: not a JSON object" in err
    assert f"{corpus}:3: not UTF-8" in err
    assert [d["published"] for d in json.loads(out.read_text(encoding="utf-8"))["documents"]] == ["2025-01-29",
                                                                                                  "2025-01-30"]


def test_build_nothing_readable_is_one_line_error(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(b"")
    assert main(["build", str(tmp_path / "a.txt")]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "a.txt: file is empty" in line


def test_csv_cell_quotes_and_neutralizes():
    from timeline.export import csv_cell

    assert csv_cell("b\r=2+5+cmd|' /C calc'!A0") == "\"b\r'=2+5+cmd|' /C calc'!A0\""
    assert csv_cell("a;=1") == "\"a;'=1\"" and csv_cell(" =1") == "\" '=1\""
    assert csv_cell("x\n@SUM(A1)") == "\"x\n'@SUM(A1)\"" and csv_cell('say "hi"') == '"say ""hi"""'
    assert csv_cell(3) == "3" and csv_cell(0.5) == "0.5" and csv_cell(None) == "" and csv_cell("plain") == "plain"


def test_build_csv_quotes_cr_in_every_output(tmp_path, capsys):
    payload = "b\r=2+5+cmd|' /C calc'!A0"
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "x;=1", "published": "2025-01-29",
                                                  "text": f"The mill closed on Monday. {payload}"}) + "\n",
                                      encoding="utf-8")
    out, mentions = tmp_path / "e.csv", tmp_path / "m.csv"
    assert main(["build", str(tmp_path / "a.jsonl"), "--out", str(out), "--mentions", str(mentions),
                 "--no-progress"]) == 0
    assert main(["build", str(tmp_path / "a.jsonl"), "--no-progress"]) == 0
    stdout = capsys.readouterr().out
    for text in (out.read_text(encoding="utf-8"), mentions.read_text(encoding="utf-8"), stdout):
        rows = list(csv.reader(text.splitlines(keepends=True)))
        assert len({len(r) for r in rows}) == 1
        for cell in (c for row in rows for c in row):
            for part in cell.replace("\r", "\n").replace(";", "\n").split("\n"):
                assert not part.lstrip(" ").startswith(("=", "+", "-", "@", "\t")), cell


def test_build_database_failure_writes_no_output(tmp_path, capsys):
    out, mentions = tmp_path / "e.csv", tmp_path / "m.csv"
    out.write_text("previous\n", encoding="utf-8")
    assert main(["build", str(DATA), "--out", str(out), "--mentions", str(mentions), "--no-progress",
                 "--database", str(tmp_path / "db.sqlite"), "--id", "not a valid id!"]) == 1
    assert "timeline id" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "previous\n" and not mentions.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith((".e.csv", ".m.csv"))] == []


def test_build_keeps_mode_of_replaced_output(tmp_path):
    import os
    import stat

    out = tmp_path / "e.csv"
    out.write_text("previous\n", encoding="utf-8")
    out.chmod(0o644)
    assert main(["build", str(DATA), "--out", str(out), "--no-progress"]) == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o644 and out.read_text(encoding="utf-8").startswith("order,")


def test_build_full_disk_is_one_line_and_leaves_nothing(tmp_path):
    # A real write error: the file size limit makes the kernel refuse the write (EFBIG), as a full disk would.
    out = tmp_path / "e.csv"
    script = ("import resource, signal, sys\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))\n"
              "from timeline.cli import main\n"
              f"sys.exit(main(['build', {str(DATA)!r}, '--out', {str(out)!r}, '--no-progress']))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "File too large" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_build_lone_surrogate_in_jsonl_is_one_line(tmp_path, capsys):
    (tmp_path / "a.jsonl").write_text('{"id": "x", "published": "2025-01-29", "text": "Fell on Monday \\ud800."}\n',
                                      encoding="utf-8")
    assert main(["build", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "e.csv"), "--no-progress"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not valid Unicode" in err[0]
