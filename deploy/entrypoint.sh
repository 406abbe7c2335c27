#!/bin/sh
# Entry point of the mra-registry image (deploy/Dockerfile).
#
#   (no arguments) or `serve [EXTRA...]`
#       exec mra-registry serve --host 0.0.0.0 --port 8000 --workers "$MRA_WORKERS" [EXTRA...]
#       MRA_WORKERS (default 1) is the number of uvicorn worker processes in this container.
#   anything else: an mra-registry sub-command, e.g. `migrate`, `load FILE...`, `export`
#
# `exec` keeps mra-registry as PID 1, so SIGTERM from `docker stop` or Kubernetes reaches uvicorn, which
# stops accepting connections and finishes the requests in flight.
set -eu

if [ "$#" -eq 0 ] || [ "$1" = "serve" ]; then
    if [ "$#" -gt 0 ]; then
        shift
    fi
    workers="${MRA_WORKERS:-1}"
    case "$workers" in
        '' | *[!0-9]* | 0)
            echo "mra-registry-entrypoint: MRA_WORKERS='$workers' must be a whole number of at least 1" >&2
            exit 2
            ;;
    esac
    # A server must not run on the development token key (or on the placeholder of the example files):
    # tokens created under it could be forged by anyone who read the source.
    case "${MRA_TOKEN_KEY:-}" in
        '')
            echo "mra-registry-entrypoint: MRA_TOKEN_KEY is not set; give it a random secret (docs/operations.md, Security)" >&2
            exit 2
            ;;
        *change-me* | *CHANGE-ME* | *REPLACE* | *replace-me*)
            echo "mra-registry-entrypoint: MRA_TOKEN_KEY still holds an example placeholder; set a real secret" >&2
            exit 2
            ;;
    esac
    exec mra-registry serve --host 0.0.0.0 --port 8000 --workers "$workers" "$@"
fi

exec mra-registry "$@"
