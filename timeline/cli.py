"""The `timeline` command: build, tag, serve, token, eval. Turns errors into one line and a non-zero exit."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from timeline import __version__
from timeline.errors import TimelineError

EXIT_INPUT = 1


def add_build(commands) -> None:
    build = commands.add_parser("build", help="build the timeline of articles (files, folders, .jsonl/.csv corpora)")
    build.add_argument("paths", nargs="+", metavar="PATH")
    build.add_argument("--published", metavar="YYYY-MM-DD", help="publication date of articles that give none")
    build.add_argument("--out", metavar="FILE", help="events file (default: CSV on standard output)")
    build.add_argument("--mentions", metavar="FILE", help="also write one row per mention (CSV)")
    build.add_argument("--format", choices=("csv", "json", "timelinejs"), help="default: from --out's extension")
    build.add_argument("--title", default="", help="title of the timeline")
    build.add_argument("--jobs", type=int, default=1, help="worker processes for tagging (default 1; 0: one per core)")
    build.add_argument("--engine", choices=("local", "dask"), default="local")
    build.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    build.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    build.add_argument("--database", metavar="PATH", help="also store the timeline in this SQLite database")
    build.add_argument("--id", dest="timeline_id", metavar="ID", help="stored timeline's id (replaces one with it)")
    build.add_argument("--strict", action="store_true",
                       help="stop at the first unreadable file or record (default: skip it, say so, go on)")


def build_command(args: argparse.Namespace) -> int:
    from timeline.export import format_of, mentions_csv, render, staged_outputs
    from timeline.scale import build_parallel

    fmt = format_of(args.out, args.format) if args.out else (args.format or "csv")
    if args.jobs < 0:
        raise TimelineError(f"--jobs {args.jobs}: give a number of processes, or 0 for one per core")
    if args.out and args.mentions and os.path.abspath(args.out) == os.path.abspath(args.mentions):
        raise TimelineError(f"--out and --mentions are both {args.out}: give them different files")
    # More processes than cores only wait for one another: a few per core at the most.
    jobs = min(args.jobs or os.cpu_count() or 1, MAX_JOBS_PER_CORE * (os.cpu_count() or 1))
    # Exports do not need the articles' text; only a stored timeline shows it, so only then is it kept.
    timeline = build_parallel(args.paths, args.published, title=args.title, jobs=jobs, engine=args.engine,
                              scheduler=args.scheduler, progress=False if args.no_progress else None,
                              keep_text=bool(args.database), strict=args.strict)
    text = render(timeline, fmt)
    # All outputs of one build are one unit: files are staged (synced temporary files), the database is
    # written, and only then are the files renamed into place; any failure before leaves every output as it was.
    with staged_outputs() as stage:
        if args.out:
            stage.add(args.out, text)
        if args.mentions:
            stage.add(args.mentions, mentions_csv(timeline))
        if args.database:
            from timeline.store import Store

            stored = Store(args.database).save(timeline, args.timeline_id)
            print(f"timeline: stored as {stored!r} in {args.database}", file=sys.stderr)
    if not args.out and not args.database:
        sys.stdout.write(text)
    report_build(timeline, args.out)
    return 0


def report_build(timeline, out: str | None) -> None:
    from timeline.ingest import undated_notes

    inferred = [d for d in timeline.documents if d.published_source.inferred]
    ambiguous = undated_notes(timeline.documents)
    undated = [d for d in timeline.documents if d.published is None and not d.published_readings]
    read, skipped = len(timeline.documents), len(timeline.skipped)
    for problem in timeline.skipped:
        print(f"timeline: skipped {problem}", file=sys.stderr)
    print(f"timeline: {read} of {read + skipped} documents read, {skipped} skipped", file=sys.stderr)
    print(f"timeline: {len(timeline.events)} events from {len(timeline.documents)} documents"
          + (f" -> {out}" if out else ""), file=sys.stderr)
    for note in ambiguous:
        print(f"timeline: {note}", file=sys.stderr)
    for doc in inferred:
        print(f"timeline: {doc.id}: publication date {doc.published} inferred ({doc.published_source.value})",
              file=sys.stderr)
    for doc in undated:
        print(f"timeline: {doc.id}: no publication date; its relative dates are left unresolved", file=sys.stderr)
    for mention in timeline.unresolved[:20]:
        print(f"timeline: {mention.document}: unresolved {mention.timex.text!r} ({mention.timex.value})",
              file=sys.stderr)


def tag_command(args: argparse.Namespace) -> int:
    from timeline import tag

    text = sys.stdin.read() if args.text in (None, "-") else args.text
    for timex in tag(text, args.published):
        print(json.dumps({"start": timex.start, "end": timex.end, "text": timex.text, "type": timex.type.value,
                          "value": timex.value, "mod": timex.mod,
                          "first": timex.interval.first.isoformat() if timex.interval else None,
                          "last": timex.interval.last.isoformat() if timex.interval else None,
                          "anchor": timex.anchor.value}, ensure_ascii=False))
    return 0


def serve_command(args: argparse.Namespace) -> int:
    from web.serve import serve

    serve(host=args.host, port=args.port, database=args.database)
    return 0


def add_token(commands) -> None:
    token = commands.add_parser("token", help="manage the access tokens of the web app (on once one exists)")
    actions = token.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="make a token and print it (once: only its hash is stored)")
    create.add_argument("--scope", choices=("read", "read-write"), required=True,
                        help="read: GET only; read-write: also create, share and delete timelines")
    create.add_argument("--name", default="", help="who or what it is for (shown by `token list`)")
    listing = actions.add_parser("list", help="list tokens (id, scope, name, created, revoked)")
    revoke = actions.add_parser("revoke", help="revoke a token; access control stays on")
    revoke.add_argument("token_id", metavar="ID")
    for action in (create, listing, revoke):
        action.add_argument("--database", metavar="PATH",
                            help="SQLite file (default: the one `serve` uses: TIMELINE_DATABASE, else the app's "
                                 "instance/timeline.sqlite)")


def token_command(args: argparse.Namespace) -> int:
    from timeline.store import Scope, Store

    if args.database is None:
        from web import default_database

        args.database = default_database()
    store = Store(args.database)
    if args.action == "create":
        token, secret = store.create_token(Scope(args.scope), args.name)
        print(secret)
        print(f"timeline: token {token.id} ({token.scope.value}{', ' + token.name if token.name else ''}) created in "
              f"{args.database}; it is shown only now. Send it as 'Authorization: Bearer <token>' or sign in "
              "with it", file=sys.stderr)
    elif args.action == "list":
        for token in store.tokens():
            print("\t".join((token.id, token.scope.value, token.name, token.created,
                             f"revoked {token.revoked}" if token.revoked else "live")))
    else:
        if not store.revoke_token(args.token_id):
            raise TimelineError(f"no live token {args.token_id!r}", path=args.database, hint="see `timeline token list`")
        print(f"timeline: token {args.token_id} revoked", file=sys.stderr)
        if not any(t.revoked is None for t in store.tokens()):
            print("timeline: no live token is left: the web app refuses every request until you run "
                  "`timeline token create`", file=sys.stderr)
    return 0


def eval_command(args: argparse.Namespace) -> int:
    from timeline.evaluate import main as evaluate

    return evaluate([*args.folders, "--errors", str(args.errors)])


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description="Dated, ordered, sourced timelines from news.")
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    add_build(commands)
    tag = commands.add_parser("tag", help="print the temporal expressions of a text as JSON lines")
    tag.add_argument("text", nargs="?", help="the text (default: standard input)")
    tag.add_argument("--published", metavar="YYYY-MM-DD")
    serve = commands.add_parser("serve", help="serve the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--database", metavar="PATH", help="SQLite file (default: instance/timeline.sqlite)")
    add_token(commands)
    evaluate = commands.add_parser("eval", help="score the tagger on TimeML corpora")
    evaluate.add_argument("folders", nargs="+")
    evaluate.add_argument("--errors", type=int, default=0)
    return parser


COMMANDS = {"build": build_command, "tag": tag_command, "serve": serve_command, "token": token_command,
            "eval": eval_command}


class EscapedStream:
    """A text stream that shows control characters as escapes ("\\x1b"): file names, ids and text from the
    input reach the messages, and must not move the cursor, set the terminal's title or fake a line."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        if text != "\n":  # print() writes a message, then its line end
            text = CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
        return self.stream.write(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)


MAX_JOBS_PER_CORE = 4
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    stderr = sys.stderr
    sys.stderr = EscapedStream(stderr)
    try:
        return run_command(args)
    finally:
        sys.stderr = stderr


def run_command(args) -> int:
    try:
        return COMMANDS[args.command](args)
    except TimelineError as exc:
        print(f"timeline: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except UnicodeEncodeError as exc:
        # A lone surrogate ("\ud800" in a .jsonl) reached an output that must be UTF-8.
        print(f"timeline: error: the input holds text that is not valid Unicode (U+{ord(exc.object[exc.start]):04X} "
              f"at character {exc.start} of {exc.object[max(0, exc.start - 30):exc.start]!r}...)", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            return closed_pipe()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"timeline: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("timeline: interrupted", file=sys.stderr)
        return 130


def closed_pipe() -> int:
    """The reader stopped early ("timeline eval ... | head"): not an error of ours. Point stdout at
    devnull so that the interpreter's final flush does not raise again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
