"""The ``mra-registry`` command: one sub-command per job, each a thin call into the layers below."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

EPILOG = """\
The database is a SQLite file (./mra-registry.sqlite3) unless MRA_DATABASE_URL names another, e.g.
  MRA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mra mra-registry migrate

A first session on the bundled data:
  mra-registry migrate
  mra-registry load data/reference/registry.json
  mra-registry export > registry.json
The invented test fixtures restate real bodies with invented dates, so they are refused over the reference
data; try them in a database of their own:
  mra-registry --database sqlite:///demo.sqlite3 migrate
  mra-registry --database sqlite:///demo.sqlite3 load data/fixtures/scenarios.json
"""

EXIT_OK, EXIT_FAILURE, EXIT_INVALID, EXIT_ERROR = 0, 1, 2, 3


# The commands that may run without a registry database: `migrate` makes one, `check` says itself that none is
# there (or asks a server), `print-schema` needs none, `verify-receipt` uses only the one its own --database
# names, and `serve` starts anyway (its /readyz answers 503 until the database is there). Every other command
# needs an existing one: SQLite makes the file on connecting, so `export`, `list-tokens`, `load` … on a
# mistyped path left an empty file behind and failed with a traceback on its missing tables.
NO_DATABASE_NEEDED = {"migrate", "check", "serve", "print-schema", "verify-receipt"}
MISSING_DATABASE_HINT = ("create it with `mra-registry migrate` (then `mra-registry load FILE…`), or name another "
                         "database with --database or MRA_DATABASE_URL")


def missing_database(args) -> str | None:
    """Why the command cannot run (no database file where it would read one), or None when it can."""
    from .checking.local import missing_sqlite_file
    from .store.database import database_url

    if args.command == "verify-receipt":
        urls = [args.reproduce_database] if args.reproduce_database else []
    else:
        urls = [] if args.command in NO_DATABASE_NEEDED else [database_url(args.database)]
    for url in urls:
        path = missing_sqlite_file(url)
        if path is not None:
            return f"no registry database at {path}: {MISSING_DATABASE_HINT}"
    return None


@contextmanager
def _database(args) -> Iterator[Engine]:
    """The command's database engine, its connections closed when the command is done."""
    from .store.database import make_engine

    engine = make_engine(args.database)
    try:
        yield engine
    finally:
        engine.dispose()


def cmd_migrate(args) -> int:
    from .store.migrate import current_revision, upgrade_to_head

    with _database(args) as engine:
        upgrade_to_head(engine)
        print(f"database at migration {current_revision(engine)} (head): "
              f"{engine.url.render_as_string(hide_password=True)}")
    return EXIT_OK


def cmd_load(args) -> int:
    from .interchange.problems import DocumentInvalid
    from .store.changes import Actor
    from .store.loading import load_files

    try:
        with _database(args) as engine, Session(engine) as session, session.begin():
            result = load_files(session, args.files, Actor(name="cli", role="ADMINISTRATOR", message=args.message),
                                allow_fixture_overwrite=args.allow_fixture_overwrite)
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

    with _database(args) as engine, Session(engine) as session:
        text = export_document(session)
    if args.file and args.file != "-":
        with open(args.file, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


SERVE_HELP = """\
Serve the GraphQL API over HTTP with uvicorn: POST or GET /graphql, GET /healthz (up), GET /readyz
(ready to answer: database reachable, snapshot loaded), GET /schema.graphql (the schema as SDL).

Settings come from the environment (docs/api.md, "Transport"); the main ones:
  MRA_DATABASE_URL             the registry database (default: the SQLite file ./mra-registry.sqlite3)
  MRA_MAX_BODY_BYTES           request body limit, default 1048576 (1 MiB)
  MRA_REQUEST_TIMEOUT_SECONDS  time budget of one GraphQL request, default 10
  MRA_INTROSPECTION            on/off, default on
  MRA_LOG_LEVEL                DEBUG, INFO (default), WARNING, ERROR
Logs are JSON lines on standard error, one per request with its X-Request-ID.

Examples:
  mra-registry serve                                  # http://127.0.0.1:8000/graphql
  mra-registry serve --host 0.0.0.0 --port 8080 --workers 4
"""

DEFAULT_APP_FACTORY = "mra_registry.web.app:create_app"


def cmd_serve(args) -> int:
    import os

    import uvicorn

    from .settings import Settings, SettingsError
    from .web.logs import logging_config
    from .web.protocol import PROTOCOL

    if args.database:
        # Workers are separate processes that build their settings from the environment.
        os.environ["MRA_DATABASE_URL"] = args.database
    try:
        settings = Settings.from_env()  # refuse bad settings here, once, before any worker starts
    except SettingsError as error:
        print(f"cannot start: {error}", file=sys.stderr)
        return EXIT_INVALID
    if args.app_factory == DEFAULT_APP_FACTORY:
        from .store.database import missing_sqlite_file

        missing = missing_sqlite_file(settings.database_url)
        if missing is not None:  # a mistyped path would give an empty database and a service never ready
            print(f"cannot start: there is no database at {missing} (serving would create an empty one): create "
                  "it with `mra-registry migrate` and fill it with `mra-registry load`, or point --database or "
                  "MRA_DATABASE_URL at the right file", file=sys.stderr)
            return EXIT_INVALID
    if args.workers < 1:
        print("cannot start: --workers must be at least 1", file=sys.stderr)
        return EXIT_INVALID
    if args.reload and args.workers > 1:
        print("cannot start: --reload runs a single process; drop --workers", file=sys.stderr)
        return EXIT_INVALID
    uvicorn.run(
        args.app_factory,
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        log_config=logging_config(settings.log_level),
        access_log=False,  # the app logs each request itself, with its request id
        server_header=False,
        # Slow clients: a request head must arrive within MRA_HEADER_TIMEOUT_SECONDS (web/protocol.py), idle
        # keep-alive connections close after MRA_KEEP_ALIVE_SECONDS, and an incomplete head may not grow
        # past 16 KiB (h11's limit; httptools has its own of 80 KiB).
        http=PROTOCOL,
        timeout_keep_alive=settings.keep_alive_seconds,
        h11_max_incomplete_event_size=16 * 1024,
    )
    return EXIT_OK


def cmd_check(args) -> int:
    from .checking.command import run

    return run(args)


def cmd_verify_receipt(args) -> int:
    from .verify_receipt import run

    return run(args)


def cmd_print_schema(args) -> int:
    from .api.schema import print_schema

    sys.stdout.write(print_schema())
    return EXIT_OK


def cmd_create_token(args) -> int:
    from datetime import date

    from .store.tokens import Role, create_token

    try:
        role = Role(args.role)
        expires = date.fromisoformat(args.expires) if args.expires else None
        with _database(args) as engine, Session(engine) as session, session.begin():
            token, row = create_token(session, role, args.scope, expires, args.label)
            # read while the row is attached: after the commit the session expires it, and reading it then
            # raised DetachedInstanceError (the token was printed, the command exited 1, a retry made another)
            described = (f"token id {row.id}: role {row.role}, scope {row.scope or '-'}, "
                         f"expires {row.expires_on or 'never'}")
    except ValueError as error:
        print(f"no token created: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(token)  # only once the transaction committed
    print(f"{described}. It is shown only now; the registry keeps a keyed digest.", file=sys.stderr)
    return EXIT_OK


def cmd_list_tokens(args) -> int:
    from .store.tokens import list_tokens

    with _database(args) as engine, Session(engine) as session:
        for row in list_tokens(session):
            state = "revoked" if row.revoked_at else "active"
            print(f"{row.id}\t{row.role}\t{row.scope or '-'}\texpires {row.expires_on or 'never'}\t{state}"
                  f"\t{row.label or ''}")
    return EXIT_OK


def cmd_revoke_token(args) -> int:
    from .store.tokens import revoke_token

    with _database(args) as engine, Session(engine) as session, session.begin():
        found = revoke_token(session, args.token_id)
    if not found:
        print(f"no token with id {args.token_id}", file=sys.stderr)
        return EXIT_INVALID
    print(f"token {args.token_id} revoked")
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
    load.add_argument("--allow-fixture-overwrite", action="store_true",
                      help="for tests only: let records marked `fixture` replace confirmed or unconfirmed ones "
                           "(refused otherwise, FIXTURE_OVERWRITE)")
    export = add("export", cmd_export, "Write the current registry as a registry document.")
    export.add_argument("file", nargs="?", metavar="FILE", help="where to write (default: standard output)")
    serve = commands.add_parser("serve", help="Serve the GraphQL API over HTTP (uvicorn).", description=SERVE_HELP,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.set_defaults(handler=cmd_serve)
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for all)")
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="number of server processes (default: 1); each keeps its own snapshot and cache")
    serve.add_argument("--reload", action="store_true",
                       help="restart when the code changes (development only; one process)")
    serve.add_argument("--app-factory", default=DEFAULT_APP_FACTORY, metavar="MODULE:FUNCTION",
                       help=f"the app factory to serve (default: {DEFAULT_APP_FACTORY}; tests serve others)")
    check = add("check", cmd_check, "Decide whether an imported document is recognised or must be redone, and why.")
    from .checking.command import add_arguments as add_check_arguments

    add_check_arguments(check)
    from .status_lists import add_command as add_fetch_status_list

    add_fetch_status_list(add)
    from .verify_receipt import HELP as VERIFY_RECEIPT_HELP, add_arguments as add_verify_receipt_arguments

    verify_receipt = commands.add_parser(
        "verify-receipt", help="Check a signed decision receipt offline; optionally re-decide it at its version.",
        description=VERIFY_RECEIPT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    verify_receipt.set_defaults(handler=cmd_verify_receipt)
    add_verify_receipt_arguments(verify_receipt)
    add("print-schema", cmd_print_schema, "Print the GraphQL schema (SDL), as committed in schema.graphql.")
    token = add("create-token", cmd_create_token, "Create an API token for writes; it is printed once.")
    token.add_argument("--role", required=True, choices=["ADMINISTRATOR", "ACCREDITATION_BODY",
                                                         "ARRANGEMENT_SECRETARIAT", "DESIGNATING_AUTHORITY",
                                                         "IMPORT_REGULATOR"])
    token.add_argument("--scope", help="the code the role owns: an accreditation body, an arrangement, a party "
                       "(economy or union) or an importer; not for ADMINISTRATOR")
    token.add_argument("--expires", metavar="DATE", help="last day the token is valid (YYYY-MM-DD)")
    token.add_argument("--label", help="who or what the token is for")
    add("list-tokens", cmd_list_tokens, "List API tokens (ids, roles, scopes, expiry; never the tokens).")
    revoke = add("revoke-token", cmd_revoke_token, "Revoke an API token by its id.")
    revoke.add_argument("token_id", metavar="TOKEN_ID")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problem = missing_database(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return EXIT_ERROR
