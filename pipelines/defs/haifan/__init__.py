"""The quarterly Haifan list."""
