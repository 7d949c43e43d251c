"""Manage (5 or F6): the menu, the settings form and the change log with its filter."""
