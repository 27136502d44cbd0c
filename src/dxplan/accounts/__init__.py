"""Who acts: roles per municipality, departments an editor is bound to, and what each may do."""
