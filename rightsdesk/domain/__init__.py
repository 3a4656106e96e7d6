"""Business values and rules. Knows nothing of storage or of Qt."""
