"""Municipalities (the tenant) and their departments."""
