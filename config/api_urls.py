"""/api/v1/: every route is a GatedViewSet (SimpleRouter: no unauthenticated API root)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from diagnostics import api as diagnostics_api
from monitoring import api as monitoring_api
from questionnaires import api as questionnaires_api
from reporting import api as reporting_api
from roadmaps import api as roadmaps_api
from schools import api as schools_api

router = SimpleRouter()
router.register("regions", schools_api.RegionViewSet, basename="api-region")
router.register("municipalities", schools_api.MunicipalityViewSet, basename="api-municipality")
router.register("organizations", schools_api.OrganizationViewSet, basename="api-organization")
router.register("roadmaps", roadmaps_api.RoadmapViewSet, basename="api-roadmap")
router.register("roadmap-items", roadmaps_api.ItemViewSet, basename="api-item")
router.register("obligations", monitoring_api.ObligationViewSet, basename="api-obligation")
router.register("execution-reports", monitoring_api.ExecutionReportViewSet, basename="api-execution-report")
router.register("evidence", monitoring_api.EvidenceViewSet, basename="api-evidence")
router.register("rounds", monitoring_api.RoundViewSet, basename="api-round")
router.register("questionnaires", questionnaires_api.QuestionnaireViewSet, basename="api-questionnaire")
router.register("assignments", questionnaires_api.AssignmentViewSet, basename="api-assignment")
router.register("responses", questionnaires_api.ResponseViewSet, basename="api-response")
router.register("reports", reporting_api.ReportViewSet, basename="api-report")
router.register(
    "diagnostics/self-diagnoses", diagnostics_api.SelfDiagnosisViewSet, basename="api-self-diagnosis"
)
router.register("diagnostics/risk-levels", diagnostics_api.RiskLevelViewSet, basename="api-risk-level")
router.register(
    "diagnostics/assessment-results",
    diagnostics_api.AssessmentResultViewSet,
    basename="api-assessment-result",
)
router.register("diagnostics/measures", diagnostics_api.MeasureViewSet, basename="api-measure")
router.register("schema", schools_api.SchemaViewSet, basename="api-schema")

urlpatterns = [
    *router.urls,
    path("docs/", schools_api.DocsView.as_view(), name="api-docs"),
]
