"""Business registry (市场监管): enterprise master, former names and the daily change log."""
