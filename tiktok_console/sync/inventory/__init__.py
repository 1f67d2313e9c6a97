"""The inventory flow's modules."""
