"""Signals other apps connect to, so that the evidence app never imports the reports.

``evidence_codes_changed``
    Sent as ``send(sender=Evidence, school=school, mapping={old_code: new_code}, by=user)`` inside
    the transaction that changed the codes (``services.evidence_renumber``, ``evidence_move``). A
    receiver rewrites citations (``codes.replace_citations`` does the text part); if it raises,
    the renumbering is rolled back with it, so codes and citations never disagree. ``mapping``
    holds only codes that changed, and may be a permutation (A -> B and B -> A): apply it all at
    once, never one pair after another.

``evidence_usage``
    Sent as ``send(sender=Evidence, evidence=item)`` before an item is deleted. A receiver returns
    a list of short descriptions of where the item is cited (e.g. ``["Báo cáo 2024-2025, tiêu chí
    1.1"]``), or an empty list. Any description refuses the deletion (the item may still be
    archived).
"""

from django.dispatch import Signal

evidence_codes_changed = Signal()
evidence_usage = Signal()


def usage_of(evidence) -> list[str]:
    """Where other apps say the item is used (the answers of every ``evidence_usage`` receiver)."""
    places: list[str] = []
    for _receiver, answer in evidence_usage.send(sender=type(evidence), evidence=evidence):
        if answer:
            places.extend(str(item) for item in answer)
    return places
