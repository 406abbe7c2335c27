"""The GraphQL layer: types, resolvers, errors and limits. Thin: decisions come from the domain engine,
browsing from the store's in-memory read model (store/browse_model.py), writes and the change log from the store."""
