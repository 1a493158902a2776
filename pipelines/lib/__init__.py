"""Shared non-definition helpers for the Dagster code location (paths, GX runner, partitions)."""
