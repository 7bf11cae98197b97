"""Answering FAQ questions with honest uncertainty."""
