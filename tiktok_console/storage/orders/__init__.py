"""The orders flow's tables and queries."""
