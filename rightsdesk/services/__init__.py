"""Use cases. Each takes a session (one unit of work) and returns plain data."""
