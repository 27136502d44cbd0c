"""Plan packages (dxplan-package/1) in and out."""
