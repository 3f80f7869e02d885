"""The trainer's pages: preview content from disk, as learners will see it, with the checker's messages."""
