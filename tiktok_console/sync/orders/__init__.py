"""The orders flow's modules."""
