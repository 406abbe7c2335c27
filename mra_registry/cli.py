"""The ``mra-registry`` command: one sub-command per job, each a thin call into the layers below."""
from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from sqlalchemy.orm import Session

EPILOG = """\
The database is a SQLite file (./mra-registry.sqlite3) unless MRA_DATABASE_URL names another, e.g.
  MRA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mra mra-registry migrate

A first session on the bundled data:
  mra-registry migrate
  mra-registry load data/reference/registry.json data/fixtures/scenarios.json
  mra-registry export > registry.json
"""

EXIT_OK, EXIT_FAILURE, EXIT_INVALID, EXIT_ERROR = 0, 1, 2, 3


def _engine(args):
    from .store.database import make_engine

    return make_engine(args.database)


def cmd_migrate(args) -> int:
    from .store.migrate import current_revision, upgrade_to_head

    engine = _engine(args)
    upgrade_to_head(engine)
    print(f"database at migration {current_revision(engine)} (head): {engine.url.render_as_string(hide_password=True)}")
    return EXIT_OK


def cmd_load(args) -> int:
    from .interchange.problems import DocumentInvalid
    from .store.changes import Actor
    from .store.loading import load_files

    engine = _engine(args)
    try:
        with Session(engine) as session, session.begin():
            result = load_files(session, args.files, Actor(name="cli", role="ADMINISTRATOR", message=args.message))
    except DocumentInvalid as error:
        print(f"nothing loaded: {len(error.problems)} problem(s)", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        print(f"nothing loaded: {error}", file=sys.stderr)
        return EXIT_INVALID
    if result.changed:
        print(f"loaded {len(args.files)} document(s): {result.changes} change(s), registry version {result.version}")
    else:
        print(f"nothing to change: the registry already holds this (version {result.version})")
    return EXIT_OK


def cmd_export(args) -> int:
    from .store.exporting import export_document

    with Session(_engine(args)) as session:
        text = export_document(session)
    if args.file and args.file != "-":
        with open(args.file, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mra-registry",
        description="Registry of accreditation and mutual-recognition arrangements: decides whether an imported "
        "test report, inspection report or certificate is recognised or must be redone, and why.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database", metavar="URL", help="database URL (default: $MRA_DATABASE_URL or the SQLite file)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("migrate", cmd_migrate, "Create the database or bring it to the newest schema.")
    load = add("load", cmd_load, "Validate registry documents, then apply them in one transaction (all or nothing).")
    load.add_argument("files", nargs="+", metavar="FILE", help="registry documents (docs/registry-document.md)")
    load.add_argument("--message", help="a note kept in the change log")
    export = add("export", cmd_export, "Write the current registry as a registry document.")
    export.add_argument("file", nargs="?", metavar="FILE", help="where to write (default: standard output)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return EXIT_ERROR
