"""Ground truth beside the landing zone: entity links, injected defects and Haifan outcomes."""
