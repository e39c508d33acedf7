"""Domain errors of bulletins and of the apps above them (review extends InvalidTransition).

One family: a view catches `BulletinError` and shows its message.
"""

from django.utils.translation import gettext_lazy as _


class BulletinError(Exception):
    """Base class: carries a message that can be shown to the user as it is."""

    default_message = _("This action is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class NotPermitted(BulletinError):
    default_message = _("You are not permitted to do this.")


class InvalidTransition(BulletinError):
    default_message = _("This bulletin is no longer in a state that allows this action.")


class EditConflict(BulletinError):
    """Someone else saved the bulletin since the editor loaded it (the edit counter moved)."""

    default_message = _(
        "Someone else saved this bulletin while you were editing it. Your text was not saved; "
        "it is shown below so nothing is lost. Compare it with the current version, then save again."
    )

    def __init__(self, message=None, *, current_edit_version=None):
        self.current_edit_version = current_edit_version
        super().__init__(message)
