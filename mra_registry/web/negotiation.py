"""Content negotiation for GraphQL over HTTP: which of the two JSON media types to answer with.

The spec (GraphQL over HTTP, "Accept") lets a client ask for `application/graphql-response+json`, whose
status codes tell request errors apart, or the legacy `application/json`, which answers 200 to every
well-formed request. Clients that send no Accept header, or only wildcards, are legacy clients: they get
`application/json`.
"""
from __future__ import annotations

import functools

from dataclasses import dataclass

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"
TEXT_HTML = "text/html"
# Listed in the order a tie between equally good wildcard matches is broken: legacy first (see module doc).
SUPPORTED = (APPLICATION_JSON, GRAPHQL_RESPONSE_JSON)


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    quality: float
    position: int

    def specificity(self, media_type: str) -> int | None:
        """How precisely this range names media_type (2 exact, 1 `type/*`, 0 `*/*`), or None if it does not."""
        type_, subtype = media_type.split("/", 1)
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == type_ and self.subtype == "*":
            return 1
        if self.type == type_ and self.subtype == subtype:
            return 2
        return None


def parse_accept(header: str) -> list[_Range]:
    ranges = []
    for position, part in enumerate(header.split(",")):
        media, *params = part.split(";")
        media = media.strip().lower()
        if "/" not in media:
            continue  # malformed entries are ignored, as browsers and proxies do
        type_, subtype = (piece.strip() for piece in media.split("/", 1))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0  # an unreadable weight is not a promise to accept
        ranges.append(_Range(type_, subtype, quality, position))
    return ranges


def _quality(ranges: list[_Range], media_type: str) -> tuple[float, int, int]:
    """(quality, specificity, -position) of the most specific range naming media_type: RFC 9110 12.5.1."""
    best: tuple[int, _Range] | None = None
    for accepted in ranges:
        specificity = accepted.specificity(media_type)
        if specificity is not None and (best is None or specificity > best[0]):
            best = (specificity, accepted)
    if best is None:
        return (0.0, -1, 0)
    specificity, accepted = best
    return (accepted.quality, specificity, -accepted.position)


@functools.lru_cache(maxsize=256)  # clients send a handful of distinct Accept headers, over and over
def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither (406)."""
    if accept is None or not accept.strip():
        return APPLICATION_JSON
    ranges = parse_accept(accept)
    scored = [
        (_quality(ranges, media_type), -preference, media_type) for preference, media_type in enumerate(SUPPORTED)
    ]
    (quality, _specificity, _position), _preference, media_type = max(scored)
    return media_type if quality > 0 else None


@functools.lru_cache(maxsize=256)
def prefers_html(accept: str | None) -> bool:
    """True when a browser asks for a page: text/html is named and weighs at least as much as JSON."""
    if not accept:
        return False
    ranges = parse_accept(accept)
    html = _quality(ranges, TEXT_HTML)
    if html[0] <= 0 or html[1] < 2:
        return False  # only an explicit text/html counts; `*/*` alone is an API client's habit
    return html[0] >= max(_quality(ranges, media_type)[0] for media_type in SUPPORTED)
