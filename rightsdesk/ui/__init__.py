"""The Qt user interface: presents and edits; every rule lives below it."""
