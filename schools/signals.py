"""Signals the hierarchy sends for apps above it to hear (the audit log), so schools imports none
of them. ``hierarchy_changed``: sender is the model class, ``action`` one of the names below (the
audit log's action names), ``obj`` the row changed, ``actor`` who did it, ``details`` a small dict.
"""

from django.dispatch import Signal

hierarchy_changed = Signal()

REGION_CREATED = "region_created"
ORGANIZATIONS_IMPORTED = "organizations_imported"
STATUSES_IMPORTED = "statuses_imported"
USER_INVITED = "user_invited"
INVITATION_RESENT = "invitation_resent"
USER_DEACTIVATED = "user_deactivated"
USER_REACTIVATED = "user_reactivated"
ALIAS_SAVED = "alias_saved"
ALIAS_DELETED = "alias_deleted"
