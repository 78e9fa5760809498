"""Who sees which roadmap and its parts (roadmaps.rules), checked row by row against the rule as
README states it: everyone in a region sees its regional roadmaps; a municipal or school roadmap
is seen by whoever sees its owner; region-wide roles see the whole region; nobody sees another
region's rows. The gate compares the parts' roadmap ids with a set computed once per scope, so
these tests pin that it admits the same rows as the rule, within a region and across regions."""

import pytest

from roadmaps.models import ControlDate, Item, ItemExecutor, ItemHistory, Revision, Roadmap, Section
from schools import access
from schools.models import Organization

pytestmark = pytest.mark.django_db

USERS = [
    f"{region}-{role}"
    for region in ("tomsk", "tambov")
    for role in ("coordinator", "curator", "municipal", "director", "department")
]
PARTS = {Section: "roadmap_id", Item: "roadmap_id", Revision: "roadmap_id"}
ITEM_PARTS = {
    ControlDate: "item__roadmap_id",
    ItemExecutor: "item__roadmap_id",
    ItemHistory: "item__roadmap_id",
}


def expected_roadmaps(user) -> set[int]:
    """The rule evaluated in Python over every roadmap of the country, trash included."""
    scope = access.get_scope(user)
    owners = set(Organization.objects.visible_to(user).values_list("pk", flat=True))
    return {
        r.pk
        for r in Roadmap._base_manager.all()
        if r.region_id in scope.full_region_ids
        or (r.region_id in scope.member_region_ids and (r.level == "regional" or r.owner_id in owners))
    }


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


@pytest.mark.parametrize("username", USERS)
def test_a_user_sees_the_roadmaps_the_rule_admits_and_their_parts_only(cast, username):
    user = cast[username]
    roadmaps = expected_roadmaps(user)
    assert roadmaps, "every demo role sees at least its region's regional roadmaps"
    assert ids(Roadmap.objects.visible_to(user)) == ids(Roadmap.objects.filter(pk__in=roadmaps))
    for model, path in {**PARTS, **ITEM_PARTS}.items():
        expected = ids(model.objects.filter(**{f"{path}__in": roadmaps}))
        assert ids(model.objects.visible_to(user)) == expected, model.__name__


@pytest.mark.parametrize("username", ["tomsk-curator", "tomsk-municipal", "tomsk-director"])
def test_a_partial_role_sees_part_of_its_region_and_nothing_of_another(cast, username):
    user = cast[username]
    seen = Item.objects.visible_to(user)
    region = access.get_scope(user).member_region_ids
    assert seen.exists()
    assert seen.count() < Item.objects.filter(region_id__in=region).count()
    assert not seen.exclude(region_id__in=region).exists()
    assert not ControlDate.objects.visible_to(user).exclude(region_id__in=region).exists()
