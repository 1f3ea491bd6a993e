"""The knowledge base's search: Dutch-first text analysis and in-memory ranking, no models."""
