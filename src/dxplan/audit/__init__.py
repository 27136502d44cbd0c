"""The audit trail: one entry for every change."""
