"""Command-line tools for staff and operators (`bot-admin`)."""
