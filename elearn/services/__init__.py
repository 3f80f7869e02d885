"""What the app does, callable from views, the CLI and tests alike."""
