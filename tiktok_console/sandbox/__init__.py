"""Sandbox stores: a local, faithful Shopify Admin API and TikTok Shop Open API.

This package imports nothing from the rest of ``tiktok_console`` so that it can
check the app's store clients independently (an import-linter contract enforces it).
"""
