"""Wires the application together: the only module that knows every layer."""
