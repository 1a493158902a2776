"""Helpers shared by every simulated source system."""
