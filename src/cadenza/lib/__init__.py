"""Small framework-light helpers shared by every app; no domain knowledge lives here."""
