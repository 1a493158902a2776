"""Entity resolution: every mention of a firm by name linked to the enterprise's USCC.

Deterministic tiers first (codes, exact names valid at the mention's date, normalised names),
then a Splink model for the rest, then reviewers' decisions. See docs/entity_resolution.md.
"""
