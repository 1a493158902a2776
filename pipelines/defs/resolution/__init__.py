"""Entity resolution assets."""
