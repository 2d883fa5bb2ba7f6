"""The layer between commands and the core: one module per question a command asks."""
