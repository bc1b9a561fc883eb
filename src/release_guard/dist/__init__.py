"""verify-dist: built wheels and sdists read in place, one module per job (docs/dist.md)."""
