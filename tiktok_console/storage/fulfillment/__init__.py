"""The fulfillment flow's tables and queries."""
