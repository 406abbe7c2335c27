"""Parsed and validated GraphQL documents, cached by query text.

Validation is most of the per-request cost of a small query (STACK.md: parse 0.27 ms, validate 1.06 ms,
execute 0.16 ms), and clients send the same few query texts again and again with different variables,
so the verdict on a text is kept: the document when it is valid, its errors when it is not. The cache is
a bounded LRU so that a client sending endless distinct texts costs memory only up to `size` entries,
and texts longer than `max_cacheable_length` are never kept, so those entries stay small.
"""
from __future__ import annotations

from collections import OrderedDict
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Type

from graphql import DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, parse, specified_rules, validate
from graphql.validation import ASTValidationRule

from .planned_execution import QueryPlan

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


@dataclass(frozen=True)
class PreparedDocument:
    """The verdict on one query text: `document` is always set unless parsing failed; `errors` is empty
    when the document is valid, else they carry `error_code` (parse or validation failure)."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...] = ()
    error_code: str | None = None
    extensions: dict | None = None  # computed once per valid document, e.g. its query cost
    # Execution plans by operation name, for cached documents only: a plan pays for itself from its second use.
    plans: dict[str | None, QueryPlan | None] | None = field(default=None, compare=False)
    # The operation each operation name selects, with what the transport derives from it (web/graphql_http.py),
    # for cached documents only.
    operations: dict[str | None, Any] | None = field(default=None, compare=False)

    @property
    def valid(self) -> bool:
        return not self.errors

    def plan(self, schema: GraphQLSchema, operation: OperationDefinitionNode) -> QueryPlan | None:
        if self.plans is None or self.document is None:
            return None
        key = operation.name.value if operation.name else None
        if key not in self.plans:
            self.plans[key] = QueryPlan.compile(schema, self.document, operation)
        return self.plans[key]


class DocumentCache:
    def __init__(
        self,
        schema: GraphQLSchema,
        extra_rules: Collection[Type[ASTValidationRule]] = (),
        *,
        size: int = 1000,
        max_tokens: int | None = None,
        max_cacheable_length: int = 16 * 1024,
        annotate: Callable[[DocumentNode], dict] | None = None,
    ):
        self.schema = schema
        self.annotate = annotate
        self.rules = tuple(specified_rules) + tuple(extra_rules)
        self.size = size
        self.max_tokens = max_tokens
        self.max_cacheable_length = max_cacheable_length
        # An OrderedDict rather than functools.lru_cache: we need len() for the bound, and
        # the entries are touched from one event loop, so no lock is needed.
        self._entries: OrderedDict[str, PreparedDocument] = OrderedDict()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: str) -> PreparedDocument:
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
            self.hits += 1
            return entry
        self.misses += 1
        entry = self.prepare(query)
        if self.size > 0 and len(query) <= self.max_cacheable_length:
            if entry.valid:
                entry = dataclasses.replace(entry, plans={}, operations={})
            self._entries[query] = entry
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry

    def prepare(self, query: str) -> PreparedDocument:
        try:
            # max_tokens bounds the parser's CPU and memory before validation ever runs; it is the
            # option every graphql-core 3.2.x release has (max_lexical_tokens came late in 3.2).
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError as error:
            return PreparedDocument(None, (error,), PARSE_FAILED)
        errors = validate(self.schema, document, self.rules)
        if errors:
            return PreparedDocument(document, tuple(errors), VALIDATION_FAILED)
        return PreparedDocument(document, extensions=self.annotate(document) if self.annotate else None)
