"""Permission matrix entries of the start pages and dashboards (their names keep the namespaces
they had before they moved to this app: see home/urls.py)."""

from kiemdinh.testing import UrlCase, everyone

CASES = [
    UrlCase("schools:school_home", everyone(302, principal_a=200, staff_a=200, principal_c=200)),
    UrlCase("reviews:district_dashboard", everyone(200, principal_a=403, staff_a=403, principal_c=403)),
    UrlCase("reviews:department_dashboard", everyone(403, officer=200, sysadmin=200)),
]
