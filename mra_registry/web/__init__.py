"""The HTTP layer: a GraphQL-over-HTTP endpoint, health and readiness probes, request ids and access logs.

`create_app` (mra_registry.web.app) builds the Starlette app; `mra-registry serve` runs it under uvicorn.
"""
