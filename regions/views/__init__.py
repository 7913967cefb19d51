"""County pages. Reading is open to everyone logged in; writing follows regions/rules.py."""
