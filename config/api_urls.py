from rest_framework.routers import SimpleRouter

from schools import api as schools_api

router = SimpleRouter()
router.register("regions", schools_api.RegionViewSet, basename="api-region")
router.register("municipalities", schools_api.MunicipalityViewSet, basename="api-municipality")
router.register("organizations", schools_api.OrganizationViewSet, basename="api-organization")

urlpatterns = router.urls
