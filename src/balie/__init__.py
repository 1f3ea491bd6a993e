"""Balie: self-hosted customer service for webshops, Dutch first."""
