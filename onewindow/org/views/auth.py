"""Staff sign-in, sign-out and password change (thin adapters over Django auth and org services)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onewindow.core.errors import ValidationFailed
from onewindow.core.roles import Role
from onewindow.org.services import record_failed_login, staff_change_password
from onewindow.org.services.staff import record_login, record_logout


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续输错多次后账号将被临时锁定。",
        "inactive": "该账号已停用，请联系中心主任或县行政审批服务局。",
        "device": "设备账号只能通过接口令牌接入，不能登录工作人员页面。",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.role == Role.DEVICE:
            raise forms.ValidationError(self.error_messages["device"], code="device")


class StaffLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        record_login(user)
        return response

    def form_invalid(self, form):
        record_failed_login(form.data.get("username") or "")
        return super().form_invalid(form)


@require_http_methods(["POST"])
def logout_view(request):
    if request.user.is_authenticated:
        user = request.user
        record_logout(user)
    auth_views.auth_logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("login")


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少10位，包含大写字母、小写字母、数字、符号中的至少三类。",
    )
    new_password_again = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "两次输入的新密码不一致")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_change_password(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationFailed as exc:
            for field, message in exc.fields.items():
                form.add_error(field if field in form.fields else "new_password", message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    return render(request, "registration/password_change.html", {"form": form}, status=400 if form.errors else 200)
