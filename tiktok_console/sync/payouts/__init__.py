"""Payouts: TikTok statements, payments and settlement exports, reconciled.

This sub-package holds the I/O side of payouts (reading Seller Center
exports today; the statements job later); the rules live in ``domain``.
"""
