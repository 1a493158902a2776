"""Subsidy departments: grants, investments and the plan's programmes, each in its own layout."""
