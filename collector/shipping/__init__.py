"""Shipping: see the README's package map."""
