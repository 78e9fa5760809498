"""Signals the infrastructure sends for apps above it to hear (the audit log), so core imports
none of them."""

from django.dispatch import Signal

# A stored file was handed out by core.downloads.attachment: sender is the model class,
# ``instance`` the row the file belongs to, ``filename`` the name it was served under.
file_downloaded = Signal()
