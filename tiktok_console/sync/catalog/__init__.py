"""The catalog flow's modules."""
