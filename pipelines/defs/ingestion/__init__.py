"""Ingestion: the raw layer loaded from the landing zone."""
