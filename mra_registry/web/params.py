"""The GraphQL-over-HTTP request parameters, read from a GET query string or a POST JSON body.

Everything a client can get wrong about the *shape* of a request is refused here, before any GraphQL
work, with a `TransportError` that says what was wrong (all 400 BAD_REQUEST, except the media type).
"""
from __future__ import annotations

from typing import Any, Mapping, NamedTuple

from starlette.datastructures import QueryParams

from . import jsonio
from .errors import TransportError


class GraphQLParams(NamedTuple):  # immutable, and built per request: a named tuple is the cheapest such record
    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    extensions: dict[str, Any] | None = None


def from_query_string(params: QueryParams) -> GraphQLParams:
    """GET: `query` and `operationName` as text; `variables` and `extensions` as URL-encoded JSON."""
    decoded: dict[str, Any] = {"query": params.get("query")}
    if "operationName" in params:
        decoded["operationName"] = params["operationName"] or None
    for name in ("variables", "extensions"):
        raw = params.get(name)
        if raw:  # an empty value means "none", as a form with an empty field would send it
            try:
                decoded[name] = jsonio.loads(raw)
            except ValueError:
                raise TransportError.bad_request(f"The `{name}` parameter is not valid JSON.") from None
    return from_mapping(decoded)


def from_json_body(body: bytes) -> GraphQLParams:
    """POST application/json: one JSON object holding the parameters."""
    if not body.strip():
        raise TransportError.bad_request("The request body is empty; send a JSON object with a `query`.")
    try:
        decoded = jsonio.loads(body)
    except ValueError:
        raise TransportError.bad_request("The request body is not valid UTF-8 JSON.") from None
    if not isinstance(decoded, dict):
        raise TransportError.bad_request("The request body must be a JSON object with a `query`.")
    return from_mapping(decoded)


def from_mapping(decoded: Mapping[str, Any]) -> GraphQLParams:
    query = decoded.get("query")
    if query is None:
        raise TransportError.bad_request("The `query` parameter is missing.")
    if not isinstance(query, str):
        raise TransportError.bad_request("The `query` parameter must be a string.")
    operation_name = decoded.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise TransportError.bad_request("The `operationName` parameter must be a string or null.")
    return GraphQLParams(
        query=query,
        variables=_object_or_none(decoded, "variables"),
        operation_name=operation_name,
        extensions=_object_or_none(decoded, "extensions"),
    )


def _object_or_none(decoded: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    value = decoded.get(name)
    if value is not None and not isinstance(value, dict):
        raise TransportError.bad_request(f"The `{name}` parameter must be a JSON object or null.")
    return value
