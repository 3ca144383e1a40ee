"""Thin API adapters for regions and windows (DESIGN §4)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny

from onewindow.org import selectors
from onewindow.org.models import Window


class RegionOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)


class WindowOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.SerializerMethodField()
    is_open = serializers.BooleanField()
    center = serializers.CharField(source="center.name")
    town_code = serializers.CharField(source="town.code")
    categories = serializers.SerializerMethodField()

    # Plain methods: DRF's per-row signature inspection of get_kind_display cost ~30 % of the list.
    def get_kind_label(self, window) -> str:
        return Window.Kind(window.kind).label

    def get_categories(self, window) -> list[str]:
        return [category.code for category in window.category_list]


@extend_schema(
    summary="行政区划（县、镇街、村社区）",
    parameters=[
        OpenApiParameter("level", str, enum=["county", "town", "village"]),
        OpenApiParameter("parent", str, description="上级区划代码（12位）"),
    ],
)
class RegionListApi(ListAPIView):
    """Public: kiosks and the portal choose a town and village before anyone signs in."""

    permission_classes = [AllowAny]
    serializer_class = RegionOut
    pagination_class = None

    def get_queryset(self):
        return selectors.public_regions(
            level=self.request.query_params.get("level"), parent_code=self.request.query_params.get("parent")
        )


@extend_schema(summary="本镇街的窗口", parameters=[OpenApiParameter("is_open", bool)])
class WindowListApi(ListAPIView):
    serializer_class = WindowOut

    def get_queryset(self):
        raw = self.request.query_params.get("is_open")
        is_open = None if raw is None else raw.lower() in {"1", "true", "yes"}
        return selectors.windows_for(self.request.user, is_open=is_open)


@extend_schema(summary="窗口详情")
class WindowDetailApi(RetrieveAPIView):
    serializer_class = WindowOut

    def get_object(self):
        return selectors.window_get(self.request.user, window_id=self.kwargs["window_id"])
