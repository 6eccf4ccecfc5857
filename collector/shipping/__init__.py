"""Shipping: see the README's Architecture section, one paragraph per package."""
