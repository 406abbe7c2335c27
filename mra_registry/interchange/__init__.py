"""The registry document: one versioned JSON format for the whole registry (docs/registry-document.md).

``reader`` reads a set of documents: their structure against the JSON Schema (``document_schema``), their meaning
(``entities``, which builds the domain entities) and their references (``references``), into ``ParsedDocument``s
(``parsed``). ``writer`` turns entities back into the canonical document. Neither touches the database: the store
applies what the reader produced."""
