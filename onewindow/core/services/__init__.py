"""Write use-cases of the shared kernel, one module per concern."""
