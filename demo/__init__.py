"""The demo data, in one place: the ``seed_demo`` command and the seeding of each app's demo data,
written through the apps' services (idempotent). The top layer: it imports the apps, none imports it.

- ``selfassessment`` (and ``plan57``, the TT57 Biểu 2 plans): the self-assessment reports;
- ``reviews``: their submissions and reviews;
- ``evaluations`` (and ``evaluations57``, the TT57 deadlines and recognitions): plans, rounds,
  deadlines, periodic reports, certificates and an external evaluation.

The organisations, accounts and the demo clock (``schools.demo``, ``schools.demo_clock``) and the
evidence library (``evidence.demo``) are seeded by their own apps' modules, called from here.
"""
