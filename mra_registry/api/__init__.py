"""The GraphQL layer: types, resolvers, dataloaders, errors and limits. Thin: decisions come from the
domain engine, reads and writes from the store."""
