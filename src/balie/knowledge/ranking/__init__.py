"""Ranking knowledge-base articles for a query: BM25F over analysed fields, in memory."""
