"""What every section stands on: the base screens, the session, keys and help, login and the
lock, dialogs, the messages between the App and the screens, and the routes by which one section
opens another's screens without importing them.
"""
