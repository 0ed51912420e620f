"""Permission matrix of the carry-forward URLs (start the TT57 report from an earlier one, confirm codes).

Built on the selfassessment matrix's TT57 report of school A: the principal of A acts, everyone
else who sees the school or the report is refused (403), outsiders get 404; GET on a POST is 405.
"""

from kiemdinh.testing import LOGIN, UrlCase, everyone

OUTSIDE = {"principal_c": 404, "other_reviewer": 404}
VIEW = everyone(200, **OUTSIDE)
WRITE_POST = everyone(403, principal_a=302, **OUTSIDE)
GET_ON_POST = everyone(405, anonymous=LOGIN)


def setup(ctx):
    from evidence.models import EvidenceCarryOver

    # The evidence matrix's archived item (never deleted by its cases) waits for a TT57 code; a new
    # item here would share codes with the evidence matrix's catalog and upset its renumbering case.
    row = EvidenceCarryOver.objects.create(
        school=ctx["school_a"], source=ctx["evidence_archived_item"], regulation=ctx["tt57_report"].regulation_version.regulation,
        proposed_criterion=ctx["tt57_criterion"],
    )
    ctx["carry_over"] = row


def _tt57(ctx, **extra):
    return {"pk": ctx["tt57_report"].pk, **extra}


CASES = [
    UrlCase("selfassessment:carry_forward_start", WRITE_POST, method="post",
            kwargs=lambda ctx: {"school_pk": ctx["school_a"].pk}),
    UrlCase("selfassessment:carry_forward_start", GET_ON_POST, kwargs=lambda ctx: {"school_pk": ctx["school_a"].pk},
            label="selfassessment:carry_forward_start:get-not-allowed"),
    UrlCase("selfassessment:carry_forward", VIEW, kwargs=_tt57),
    UrlCase("selfassessment:carry_forward_confirm", WRITE_POST, method="post", kwargs=_tt57,
            data=lambda ctx: {"ids": []}),
    UrlCase("selfassessment:carry_forward_item", WRITE_POST, method="post",
            kwargs=lambda ctx: _tt57(ctx, item_pk=ctx["carry_over"].pk), data=lambda ctx: {"action": "skip"}),
    UrlCase("selfassessment:carry_forward_item", GET_ON_POST,
            kwargs=lambda ctx: _tt57(ctx, item_pk=ctx["carry_over"].pk),
            label="selfassessment:carry_forward_item:get-not-allowed"),
    UrlCase("selfassessment:carry_forward_council", WRITE_POST, method="post", kwargs=_tt57),
]
