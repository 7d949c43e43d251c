"""Spreadsheets in and out: the import screen with its preview, and the export dialog."""
