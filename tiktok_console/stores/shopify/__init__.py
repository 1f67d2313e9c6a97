"""Shopify Admin API client: GraphQL, throttling, models, OAuth."""
