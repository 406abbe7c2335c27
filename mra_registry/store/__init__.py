"""Persistence: SQLAlchemy models, Alembic migrations, the registry version and change log, loading and
exporting registry documents, and building the engine's snapshot from the database."""
