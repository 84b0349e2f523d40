"""The read API for other software (the one-stop-shop system, portals): published data only."""
