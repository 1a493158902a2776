"""Automation: sensors, jobs and schedules."""
