"""Documents: statements and licensing reports as PDF and Excel, pure functions from data to bytes."""
