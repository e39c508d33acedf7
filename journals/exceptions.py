"""The journals' domain errors; views turn them into messages."""

from bulletins.exceptions import BulletinError, NotPermitted

__all__ = ["IssueError", "NotPermitted"]


class IssueError(BulletinError):
    """The issue is not in a state that allows this (e.g. it was signed off meanwhile)."""
