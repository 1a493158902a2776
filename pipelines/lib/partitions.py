"""Delivery partitions: one dynamic partition per delivery folder of each source.

A partition key is the delivery id (the folder name under ``landing/<source>/``), so a single
day can be re-run or backfilled from the UI, and a sensor adds partitions as deliveries arrive.
"""

import dagster as dg


def deliveries_partitions(source: str) -> dg.DynamicPartitionsDefinition:
    """Partitions of a source's raw tables: its delivery ids."""
    return dg.DynamicPartitionsDefinition(name=f"{source}_deliveries")
