"""The dashboard (1 or F2): what needs doing now, each line opening its record."""
