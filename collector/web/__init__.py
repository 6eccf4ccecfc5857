"""Web: see the README's package map."""
