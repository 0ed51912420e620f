from django.db.models import QuerySet

from .models import EmailMute, Notification


def notifications_of(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first (others' are never visible: 404)."""
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def muted_kinds(user) -> set[str]:
    return set(EmailMute.objects.filter(user=user).values_list("kind", flat=True))
