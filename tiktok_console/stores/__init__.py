"""Store clients: Shopify Admin API and TikTok Shop Open API, OAuth, tokens in the keyring.

Imports only ``domain`` (and ``core``); never Qt, never the sandbox.
"""
