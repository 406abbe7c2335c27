"""Browsing loads nothing per request any more: it reads the registry version the request took (api/context.py,
store/browse_model.py). ``Loaders`` remains for api/mutations/base.py, which starts a new one after a write
(``context.loaders = Loaders(context.engine)``) so that the rest of the request reads the version holding the
write: it is that per-request ``RegistryRead``."""
from __future__ import annotations

from .context import RegistryRead as Loaders

__all__ = ["Loaders"]
