"""Pure domain layer: entities, dated intervals, the recognition engine. Imports nothing of the project's
other layers, nor SQLAlchemy, Starlette or graphene."""
