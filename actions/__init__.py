"""Custom actions: thin adapters from the tracker to `bot`."""
