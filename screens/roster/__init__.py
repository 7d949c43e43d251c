"""The roster (2 or F3): the screen, its virtual list, the filter dialog and the row building."""
