"""The command lines: `bot-rules` (the calculators) and `bot-admin` (the database, callbacks, staff)."""
