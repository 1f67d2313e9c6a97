"""Payouts storage: statements, payments, settlement lines, the bank, reviews, results."""
