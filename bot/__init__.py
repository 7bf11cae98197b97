"""Consultation assistant for Beijing vocational training and certification."""
