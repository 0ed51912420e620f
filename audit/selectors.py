from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import Event


def events_for(*targets) -> QuerySet[Event]:
    """Events about any of the given objects, newest first, with their actors loaded."""
    condition = Q(pk__in=[])
    for target in targets:
        if target is None:
            continue
        condition |= Q(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
    return Event.objects.filter(condition).select_related("actor")


def events_for_school(school) -> QuerySet[Event]:
    return Event.objects.filter(school=school).select_related("actor")
