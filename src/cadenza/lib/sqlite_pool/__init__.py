"""SQLite, the embedded default's database, with connections reused within the process (base)."""
