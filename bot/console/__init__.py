"""The support-staff console: sign-in, ask, calculators, work queues (see bot/console/app.py)."""
