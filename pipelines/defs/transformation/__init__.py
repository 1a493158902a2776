"""Transformation: the dbt project as assets."""
