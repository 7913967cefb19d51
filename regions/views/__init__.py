"""County pages, one module per concern. Reading is open to everyone logged in; writing follows
regions/rules.py. urls.py imports the views from their modules."""
