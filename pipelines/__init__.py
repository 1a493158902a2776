"""Dagster code location for the credit-information platform.

The only entry point is `pipelines.definitions`; everything under `pipelines/defs/` is autoloaded.
"""
