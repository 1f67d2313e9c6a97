"""The catalog flow's tables and queries."""
