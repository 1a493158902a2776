"""Autoloaded Dagster definitions, grouped by concept (resources, ingestion, transformation)."""
