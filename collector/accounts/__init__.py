"""Accounts: see the README's package map."""
