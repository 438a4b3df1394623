"""Views of a plan: text, markdown, patient text, algorithm. All render the same Plan."""
