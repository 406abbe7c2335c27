"""The registry document: one versioned JSON format for the whole registry (docs/registry-document.md).

``reader`` validates and turns documents into domain entities; ``writer`` turns entities back into the
canonical document. Neither touches the database: the store applies what the reader produced."""
