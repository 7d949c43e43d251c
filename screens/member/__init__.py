"""One member: the detail screen, the member form and its fields, the contact form, the view
building.
"""
