"""Section 3, the patrol team's schedule: the week grid, shifts, assigning, check-in, swaps."""
