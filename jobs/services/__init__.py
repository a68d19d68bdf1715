"""Services: each takes a database session and changes or reads one person's records."""
