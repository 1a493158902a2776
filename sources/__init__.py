"""Simulated source systems: a seeded world of firms and each outside system's deliveries about it.

The simulator stands in for systems outside the platform. It writes each system's deliveries to a
landing zone in that system's own format, and the ground truth beside it; the pipeline reads
only the landing zone, so a real delivery in the same format replaces the simulator.
"""
