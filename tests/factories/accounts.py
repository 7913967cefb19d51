import factory

from accounts.choices import CountyRole, Role
from accounts.models import User

from .regions import RegionFactory

PASSWORD = "Ett-långt-testlösenord-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="sv_SE")
    role = Role.MINISTRY
    region = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.REGION), factory.SubFactory(RegionFactory), None
    )
    # Regional users may submit for their county unless a test makes them editors.
    county_role = factory.LazyAttribute(lambda o: CountyRole.DIRECTOR if o.role == Role.REGION else "")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])
