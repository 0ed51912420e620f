"""factory_boy factories for organisations, schools, years, users and memberships."""

import datetime

import factory

from schools.models import Membership, Organisation, School, SchoolYear, User


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = "so-test"
    name = "Sở Giáo dục và Đào tạo Thử nghiệm"
    kind = Organisation.Kind.DEPARTMENT


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"pgd-{n}")
    name = factory.Sequence(lambda n: f"Phòng GD&ĐT quận {n}")
    kind = Organisation.Kind.DISTRICT_OFFICE
    parent = factory.SubFactory(DepartmentFactory)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    code = factory.Sequence(lambda n: f"T-THCS-{n:03d}")
    name = factory.Sequence(lambda n: f"Trường THCS Số {n}")
    level = School.Level.LOWER_SECONDARY
    reviewing_unit = factory.SubFactory(UnitFactory)
    founding_year = 1980


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("code",)

    code = "2024-2025"
    start_date = datetime.date(2024, 9, 5)
    end_date = datetime.date(2025, 5, 31)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "Secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.PRINCIPAL
