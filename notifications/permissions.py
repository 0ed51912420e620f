"""Permission rules of notifications: a notification belongs to its recipient alone."""

from kiemdinh.permissions import rule


@rule("notification.read")
def notification_read(user, notification):
    return notification is None or notification.user_id == user.pk
