"""The start pages and dashboards keep the paths and names they had before they moved here:
kiemdinh/urls.py mounts these lists inside the ``schools`` and ``reviews`` namespaces."""

from django.urls import path

from . import views

# In the "schools" namespace, at the site's root: schools:school_home.
school_patterns = [
    path("school/", views.school_home, name="school_home"),
]

# In the "reviews" namespace, under review/: reviews:district_dashboard, reviews:department_dashboard.
review_patterns = [
    path("district/", views.district_dashboard, name="district_dashboard"),
    path("department/", views.department_dashboard, name="department_dashboard"),
]
