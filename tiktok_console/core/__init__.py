"""Cross-cutting infrastructure every layer may use: paths, settings, logging, errors.

Nothing here imports a layer of the app, so any layer can depend on it.
"""
