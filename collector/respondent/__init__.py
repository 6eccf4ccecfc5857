"""Respondent: see the README's package map."""
