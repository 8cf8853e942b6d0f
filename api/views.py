"""The REST API's views: thin, as on the site. Each reads through a selector or an api queryset that
owns its joins (a fixed number of queries per page), or writes through api.writes.

Permissions (api.permissions): `read_permissions` for GET, `write_permissions[action]` for the rest.
Approved figures by default; `figures=working` for those who may edit them."""
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAcceptable, NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from results import programme_rules, programmes
from scorecard import selectors as scorecard_selectors

from . import filters, iati_export, part_serializers, permissions, selectors, serializers, writes
from .approved import approved_measurements, approved_targets

CODE = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,29}"


def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": _("There is no such API address.")}, status=404)


class _Published:
    """A record paired with its approved snapshot, for the approved serializers."""
    __slots__ = ("row", "approved")

    def __init__(self, row, approved):
        self.row, self.approved = row, approved


class AnyAccept(DefaultContentNegotiation):
    """A download answers in its own format whatever the Accept header says (errors in JSON)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = CODE
    # The path from a row to its framework: a programme role reads its own programme and the
    # organisation's chains, never another programme (results/programme_rules.py); None: not scoped.
    framework_field: str | None = None

    def _figures_scope(self) -> str:
        working = getattr(self, "working", None)
        if self.action not in (None, "list", "retrieve", "iati"):
            return programme_rules.SEE_WORKING  # a write touches working figures
        return programme_rules.SEE_WORKING if working is not None and working() else programme_rules.SEE

    def get_queryset(self):
        return self.scoped(super().get_queryset())

    def scoped(self, queryset):
        if self.framework_field is None:
            return queryset
        scope = programmes.frameworks_filter(self.request.user, self._figures_scope(), field=self.framework_field)
        return queryset if scope is None else queryset.filter(scope)


@extend_schema_view(list=extend_schema(summary="Results frameworks"),
                    retrieve=extend_schema(summary="A results framework"))
class FrameworkViewSet(_ReadOnly):
    framework_field = ""
    queryset = selectors.frameworks()
    serializer_class = serializers.FrameworkSerializer
    filterset_class = filters.FrameworkFilter
    lookup_field = "code"
    lookup_url_kwarg = "code"
    read_permissions = ("results.view_resultsframework",)

    def get_object(self):
        return selectors.get_or_404(self.get_queryset(), code__iexact=self.kwargs["code"])

    @extend_schema(summary="The framework's IATI 2.03 results document (approved figures only)",
                   responses={(200, "application/xml"): OpenApiResponse(OpenApiTypes.STR,
                                                                        description="An iati-activities document.")})
    @action(detail=True, url_path="iati", read_permissions=permissions.FIGURES,
            content_negotiation_class=AnyAccept)
    def iati(self, request, code=None):
        framework = self.get_object()
        content = iati_export.export_bytes([framework.code])
        response = HttpResponse(content, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{iati_export.filename([framework.code])}"'
        return response


@extend_schema_view(list=extend_schema(summary="Results of the chains, with parent and level"),
                    retrieve=extend_schema(summary="A result"))
class ResultViewSet(_ReadOnly):
    framework_field = "framework"
    queryset = selectors.results()
    serializer_class = serializers.ResultSerializer
    filterset_class = filters.ResultFilter
    lookup_field = "code"
    read_permissions = ("results.view_result", "results.view_resultsframework")

    def get_object(self):
        return selectors.get_or_404(self.get_queryset(), code__iexact=self.kwargs["code"])


@extend_schema_view(list=extend_schema(summary="Alignments between results of different frameworks"),
                    retrieve=extend_schema(summary="An alignment"))
class AlignmentViewSet(_ReadOnly):
    queryset = selectors.alignments()
    serializer_class = serializers.AlignmentSerializer
    filterset_class = filters.AlignmentFilter
    lookup_value_regex = r"\d{1,18}"
    read_permissions = ("results.view_alignment", "results.view_result")

    def get_queryset(self):  # both ends in frameworks the reader may see
        queryset = super().get_queryset()
        for end in ("source__framework", "target__framework"):
            scope = programmes.frameworks_filter(self.request.user, field=end)
            queryset = queryset if scope is None else queryset.filter(scope)
        return queryset


@extend_schema_view(list=extend_schema(summary="Reporting periods (fiscal years July-June, halves, quarters)"),
                    retrieve=extend_schema(summary="A reporting period"))
class PeriodViewSet(_ReadOnly):
    queryset = selectors.periods()
    serializer_class = serializers.PeriodSerializer
    lookup_field = "label"
    lookup_value_regex = r"[A-Za-z0-9-]{1,12}"
    filterset_fields = ["kind", "fiscal_year"]
    read_permissions = ("indicators.view_reportingperiod",)

    def get_object(self):
        return selectors.get_or_404(self.get_queryset(), label__iexact=self.kwargs["label"])


@extend_schema_view(list=extend_schema(summary="Indicators"), retrieve=extend_schema(summary="An indicator"))
class IndicatorViewSet(_ReadOnly):
    framework_field = "result__framework"
    queryset = selectors.indicators()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    lookup_field = "code"
    read_permissions = ("indicators.view_indicator", "results.view_result")

    def get_object(self):
        return selectors.get_or_404(self.get_queryset(), code__iexact=self.kwargs["code"])


@extend_schema_view(list=extend_schema(summary="Dimensions of disaggregation (Sex, Country, ...) with their values"),
                    retrieve=extend_schema(summary="A dimension with its values"))
class DimensionViewSet(_ReadOnly):
    queryset = selectors.dimensions()
    serializer_class = part_serializers.DimensionSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[A-Za-z0-9_-]{1,80}"
    read_permissions = ("indicators.view_dimension", "indicators.view_dimensionvalue", "indicators.view_indicator")

    def get_object(self):
        return selectors.get_or_404(self.get_queryset(), slug__iexact=self.kwargs["slug"])


class _FiguresMixin:
    """Approved figures by default; `figures=working` only for those who may edit them."""
    noun = ""

    def working(self) -> bool:
        if self.request.query_params.get("figures") != "working":
            return False
        if not self.request.user.has_perm(permissions.WORKING_FIGURES[self.noun]):
            raise PermissionDenied(_("Working figures are for those who may edit %(records)s; ask for approved "
                                     "figures.") % {"records": f"{self.noun}s"})
        return True


_FIGURES_PARAM = OpenApiParameter("figures", str, enum=["approved", "working"],
                                  description="approved (default) or working (officers and managers).")


def _either(name, approved, working, many=False):
    """The approved representation, or the working one when figures=working was asked for."""
    return PolymorphicProxySerializer(component_name=name, serializers=[approved, working],
                                      resource_type_field_name=None, many=many)


_TARGETS = (serializers.ApprovedTargetSerializer, serializers.WorkingTargetSerializer)
_MEASUREMENTS = (serializers.ApprovedMeasurementSerializer, serializers.WorkingMeasurementSerializer)


@extend_schema_view(list=extend_schema(summary="Baselines (collected or validated; all with figures=working)",
                                       responses=serializers.BaselineSerializer(many=True)),
                    retrieve=extend_schema(summary="An indicator's baseline", parameters=[_FIGURES_PARAM],
                                           responses=serializers.BaselineSerializer))
class BaselineViewSet(_FiguresMixin, _ReadOnly):
    framework_field = "indicator__result__framework"
    noun = "baseline"
    serializer_class = serializers.BaselineSerializer
    filterset_class = filters.BaselineFilter
    lookup_field = "indicator"
    lookup_value_regex = CODE
    read_permissions = ("indicators.view_baseline", "indicators.view_indicator")

    def get_queryset(self):
        return self.scoped(selectors.baselines(working=self.working()))

    def get_object(self):
        return selectors.get_or_404(self.get_queryset(), indicator__code__iexact=self.kwargs["indicator"])


class _PublishedFigures(_FiguresMixin, _ReadOnly):
    """Targets and measurements: approved snapshots (api.approved) unless working figures are asked for."""
    lookup_value_regex = r"\d{1,18}"
    approved_serializer = working_serializer = None
    snapshot = None

    def get_serializer_class(self):
        return self.working_serializer if self.working() else self.approved_serializer

    def _published(self, rows):
        rows = list(rows)
        snapshots = {a.pk: a for a in type(self).snapshot(rows)}
        return [_Published(row, snapshots[row.pk]) for row in rows if row.pk in snapshots]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = page if self.working() else self._published(page)
        return self.get_paginated_response(self.get_serializer(items, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        row = self.get_object()
        item = row if self.working() else self._published([row])[0]
        return Response(self.get_serializer(item).data)


@extend_schema_view(list=extend_schema(summary="Targets (approved figures by default)",
                                       responses=_either("TargetFigures", *_TARGETS, many=True)),
                    retrieve=extend_schema(summary="A target", parameters=[_FIGURES_PARAM],
                                           responses=_either("TargetFigure", *_TARGETS)))
class TargetViewSet(_PublishedFigures):
    framework_field = "indicator__result__framework"
    noun = "target"
    approved_serializer = serializers.ApprovedTargetSerializer
    working_serializer = serializers.WorkingTargetSerializer
    snapshot = staticmethod(approved_targets)
    filterset_class = filters.TargetFilter
    read_permissions = ("indicators.view_target", "indicators.view_indicator")

    def get_queryset(self):
        return self.scoped(selectors.targets(working=self.working()))


@extend_schema_view(
    list=extend_schema(summary="Measurements (approved actuals by default)",
                       responses=_either("MeasurementFigures", *_MEASUREMENTS, many=True)),
    retrieve=extend_schema(summary="A measurement", parameters=[_FIGURES_PARAM],
                           responses=_either("MeasurementFigure", *_MEASUREMENTS)),
    create=extend_schema(summary="Record a measurement (officers): a draft, or submitted with submit=true",
                         request=serializers.MeasurementCreateSerializer,
                         responses={201: serializers.WorkingMeasurementSerializer}),
    partial_update=extend_schema(summary="Correct a draft or returned measurement, or start a revision",
                                 request=serializers.MeasurementUpdateSerializer,
                                 responses={200: serializers.WorkingMeasurementSerializer}),
)
class MeasurementViewSet(_PublishedFigures):
    framework_field = "indicator__result__framework"
    noun = "measurement"
    approved_serializer = serializers.ApprovedMeasurementSerializer
    working_serializer = serializers.WorkingMeasurementSerializer
    snapshot = staticmethod(approved_measurements)
    filterset_class = filters.MeasurementFilter
    read_permissions = ("indicators.view_measurement", "indicators.view_indicator")
    write_permissions = {
        "create": ("indicators.add_measurement",),
        "partial_update": ("indicators.change_measurement",),
        "submit": ("indicators.change_measurement",),
        "approve": ("indicators.review_measurement",),
        "return_for_revision": ("indicators.review_measurement",),
    }

    def get_queryset(self):
        working = self.action not in ("list", "retrieve") or self.working()
        return self.scoped(selectors.measurements(working=working))

    def _answer(self, measurement, code=status.HTTP_200_OK):
        fresh = selectors.measurements(working=True).get(pk=measurement.pk)
        return Response(serializers.WorkingMeasurementSerializer(fresh, context=self.get_serializer_context()).data,
                        status=code)

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create(self, request, *args, **kwargs):
        data = self._valid(serializers.MeasurementCreateSerializer)
        return self._answer(writes.measurement_create(by=request.user, data=data), status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        data = self._valid(serializers.MeasurementUpdateSerializer)
        return self._answer(writes.measurement_update(measurement=self.get_object(), by=request.user, data=data))

    @extend_schema(summary="Submit a draft or returned measurement for review",
                   request=serializers.VersionSerializer, responses={200: serializers.WorkingMeasurementSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = self._valid(serializers.VersionSerializer)
        return self._answer(writes.measurement_submit(measurement=self.get_object(), by=request.user,
                                                      version=data["version"]))

    @extend_schema(summary="Approve a submitted measurement (managers; never your own)",
                   request=serializers.VersionSerializer, responses={200: serializers.WorkingMeasurementSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self._valid(serializers.VersionSerializer)
        return self._answer(writes.measurement_approve(measurement=self.get_object(), by=request.user,
                                                       version=data["version"]))

    @extend_schema(summary="Return a submitted measurement to the officer with a note (managers)",
                   request=serializers.ReturnSerializer, responses={200: serializers.WorkingMeasurementSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_revision(self, request, pk=None):
        data = self._valid(serializers.ReturnSerializer)
        return self._answer(writes.measurement_return(measurement=self.get_object(), by=request.user,
                                                      note=data["note"], version=data["version"]))


class ScorecardView(APIView):
    """The computed scorecard of a framework at a period: the figures of the page and its CSV export."""
    read_permissions = permissions.FIGURES + ("results.view_alignment",)  # contributions come through alignments

    @extend_schema(summary="The computed scorecard (same figures as the page and its CSV export), "
                           "optionally sliced by a dimension value (?slice=sex:female)",
                   parameters=[serializers.ScorecardQuerySerializer], responses=serializers.ScorecardSerializer)
    def get(self, request):
        query = serializers.ScorecardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        asked = query.validated_data
        card = scorecard_selectors.scorecard_build(framework_code=asked.get("framework"),
                                                   period_label=asked.get("period"),
                                                   business_line_code=asked.get("line"),
                                                   slice_key=asked.get("slice"))
        if card.framework is None or (asked.get("framework") and card.framework.code != asked["framework"].upper()
                                      .strip()) or not programmes.may(request.user, programme_rules.SEE,
                                                                      programmes.place_of(card.framework)):
            raise NotFound(_("There is no results framework %(code)s.") % {"code": repr(asked.get("framework", ""))})
        errors = selectors.scorecard_notices(card, asked)
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(serializers.ScorecardSerializer(selectors.scorecard_data(card)).data)


@extend_schema_view(list=extend_schema(summary="Published scorecard editions (newest first)"),
                    retrieve=extend_schema(summary="An edition, exactly as frozen at publication",
                                           responses=serializers.EditionDetailSerializer))
class EditionViewSet(_ReadOnly):
    framework_field = "framework"
    serializer_class = serializers.EditionSerializer
    filterset_class = filters.EditionFilter
    lookup_value_regex = r"\d{1,18}"
    read_permissions = ("scorecard.view_edition",)

    def get_queryset(self):
        return self.scoped(selectors.editions(detail=self.action == "retrieve"))

    def get_serializer_class(self):
        return serializers.EditionDetailSerializer if self.action == "retrieve" else serializers.EditionSerializer
