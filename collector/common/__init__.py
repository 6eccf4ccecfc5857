"""What every package shares (the clock, the erasure registry, pages' security, forms, logs, limits):
see the README's Architecture section, one paragraph per package."""
