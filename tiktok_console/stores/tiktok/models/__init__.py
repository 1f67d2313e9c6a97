"""Typed TikTok Shop payloads, one module per API area (see ``registry`` for samples)."""
