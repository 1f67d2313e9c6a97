"""The inventory flow's tables and queries."""
