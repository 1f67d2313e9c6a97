"""The sandbox's Admin GraphQL schema: a generated subset of Shopify's real schema."""
