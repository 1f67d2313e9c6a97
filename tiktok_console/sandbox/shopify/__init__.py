"""The sandbox Shopify store: Admin GraphQL API, OAuth, cost limits and a simulated warehouse."""
