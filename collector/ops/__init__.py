"""Ops: see the README's package map."""
