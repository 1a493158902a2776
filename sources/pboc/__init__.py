"""PBOC credit reference centre: loan accounts and their monthly status."""
