"""Writing a plan package into rows: a new plan, a replaced one, an initiative from its form."""
