"""Analyst: see the README's package map."""
