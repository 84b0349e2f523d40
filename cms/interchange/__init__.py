"""Moving the procedure set in and out: import, export, reconciliation."""
