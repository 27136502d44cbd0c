"""The package form (dxplan-package/1): a plan's objects as JSON, its schema, and its validation."""
