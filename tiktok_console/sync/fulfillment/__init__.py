"""The fulfillment flow's modules."""
