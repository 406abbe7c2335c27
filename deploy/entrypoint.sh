#!/bin/sh
# Entry point of the mra-registry image (deploy/Dockerfile).
#
#   (no arguments) or `serve [EXTRA...]`
#       exec mra-registry serve --host 0.0.0.0 --port 8000 --workers "$MRA_WORKERS" [EXTRA...]
#       MRA_WORKERS (default 1) is the number of uvicorn worker processes in this container.
#   anything else: an mra-registry sub-command, e.g. `migrate`, `load FILE...`, `export`
#
# `serve` and `create-token` need MRA_TOKEN_KEY (the key of the API tokens' keyed digests) and refuse to
# run without it or with a placeholder: unset, the service would fall back to a development key that
# anyone who read the source knows, and a token created under one key never matches under another.
#
# `exec` keeps mra-registry as PID 1, so SIGTERM from `docker stop` or Kubernetes reaches uvicorn, which
# stops accepting connections and finishes the requests in flight.
set -eu

require_token_key() {
    case "${MRA_TOKEN_KEY:-}" in
        '')
            echo "mra-registry-entrypoint: MRA_TOKEN_KEY is not set; give it a random secret (docs/operations.md, Security)" >&2
            exit 2
            ;;
        *[Cc][Hh][Aa][Nn][Gg][Ee]-[Mm][Ee]* | *[Rr][Ee][Pp][Ll][Aa][Cc][Ee]-[Mm][Ee]*)
            echo "mra-registry-entrypoint: MRA_TOKEN_KEY still holds an example placeholder; set a real secret" >&2
            exit 2
            ;;
    esac
}

if [ "$#" -eq 0 ] || [ "$1" = "serve" ]; then
    if [ "$#" -gt 0 ]; then
        shift
    fi
    workers="${MRA_WORKERS:-1}"
    case "$workers" in
        '' | *[!0-9]* | 0 | 00*)
            echo "mra-registry-entrypoint: MRA_WORKERS='$workers' must be a whole number of at least 1" >&2
            exit 2
            ;;
    esac
    require_token_key
    exec mra-registry serve --host 0.0.0.0 --port 8000 --workers "$workers" "$@"
fi

if [ "$1" = "create-token" ]; then
    require_token_key
fi
exec mra-registry "$@"
