"""The sync engine and the actions the UI and the CLI call. No Qt here."""
