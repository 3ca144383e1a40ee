"""POST /api/v1/auth/token/ — a token for devices and scripts, under the same lockout as the login page."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.core.errors import DomainError
from onewindow.core.lockout import AccountLocked
from onewindow.org.services.tokens import issue_token


class TokenIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


class BadCredentials(DomainError):
    status = 400
    code = "auth.bad_credentials"
    message = "用户名或密码错误"


class TokenApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(summary="获取接口令牌", request=TokenIn, responses=TokenOut)
    def post(self, request):
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, **data.validated_data)
        if getattr(request._request, "axes_locked_out", False):
            raise AccountLocked()
        if user is None or not user.is_active:
            raise BadCredentials()
        return Response(TokenOut({"token": issue_token(actor=user).key}).data)
