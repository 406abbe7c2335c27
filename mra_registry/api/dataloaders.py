"""One dataloader per relation and per request: every look-up by code in one request becomes one batch,
so the number of SQL queries does not grow with the number of items returned."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from graphene.utils.dataloader import DataLoader
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ..store import declaration_queries, queries, requirement_queries


class CodeLoader(DataLoader):
    """Loads entities by code with one batch query function ``fetch(session, codes) -> {code: entity}``."""

    def __init__(self, engine: Engine, fetch: Callable[[Session, Sequence[str]], dict[str, Any]]):
        super().__init__()
        self.engine = engine
        self.fetch = fetch

    async def batch_load_fn(self, codes: Sequence[str]) -> list[Any]:
        # Short synchronous queries on the event loop: cheaper than a thread hop for browsing-sized batches.
        with Session(self.engine) as session:
            found = self.fetch(session, list(dict.fromkeys(codes)))
        return [found.get(code) for code in codes]


LOADERS = {
    "economy": queries.economies_by_codes,
    "union": queries.unions_by_codes,
    "unions_of_economy": lambda session, codes: {k: v for k, v in queries.unions_of_economies(session, codes).items()},
    "arrangement": queries.arrangements_by_codes,  # without sectors: loaded by the next two when selected
    "sectors_of_arrangement": queries.sectors_of_arrangements,
    "operations_of_sector": queries.operations_of_sectors,  # keyed by (arrangement code, sector code)
    "accreditation_body": queries.bodies_by_codes,
    "cab": queries.cabs_by_codes,
    "policy": queries.policies_by_codes,
    "lookalike_body": declaration_queries.lookalikes_by_codes,
    "declaration": declaration_queries.declarations_by_codes,
    "acceptance_list": requirement_queries.acceptance_lists_by_codes,
}


class Loaders:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._loaders: dict[str, DataLoader] = {}

    def __getattr__(self, name: str) -> DataLoader:
        if name.startswith("_") or name not in LOADERS:
            raise AttributeError(name)
        loader = self._loaders.get(name)
        if loader is None:
            loader = self._loaders[name] = CodeLoader(self.engine, LOADERS[name])
        return loader

    def keyed(self, name: str, fetch: Callable[[Session, Sequence[str]], dict[str, Any]]) -> DataLoader:
        """A loader for a parametrised relation (e.g. signatories on one date): one per parameter set."""
        loader = self._loaders.get(name)
        if loader is None:
            loader = self._loaders[name] = CodeLoader(self.engine, fetch)
        return loader
