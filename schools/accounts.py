"""Login protection around Django's own account views.

Password logins (portal and admin) are counted by django-axes (settings ``AXES_*``): past the
limit the username and the client address are locked out and :func:`lockout_response` shows
when to try again. Password reset is not a login, so axes does not see it; it sends e-mail to
whatever address is typed, so :class:`ThrottledPasswordResetView` limits it per client address
and per address typed, counted in the shared cache (Redis in production).
"""

import hashlib
import math
from typing import Any

from axes.helpers import get_client_ip_address, get_cool_off
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): what happened, when to retry."""
    minutes = lockout_minutes(request)
    message = ngettext(
        "Слишком много неудачных попыток входа. Попробуйте снова через %(n)d минуту "
        "или обратитесь к администратору.",
        "Слишком много неудачных попыток входа. Попробуйте снова через %(n)d минут "
        "или обратитесь к администратору.",
        minutes,
    ) % {"n": minutes}
    return render(
        request,
        "registration/lockout.html",
        {"message": message, "minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def _over_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt in a fixed window; True once the count passes ``limit``."""
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form: forms.Form) -> HttpResponse:
        window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
        ip = get_client_ip_address(self.request) or "unknown"
        email = form.cleaned_data["email"].strip().lower()
        email_key = hashlib.sha256(email.encode()).hexdigest()[:32]
        # Both counters move on every request, so a flood of different addresses from one client
        # and a flood for one address from many clients are both stopped.
        by_ip = _over_limit(f"pwreset:ip:{ip}", settings.PASSWORD_RESET_LIMIT_PER_IP, window)
        by_email = _over_limit(f"pwreset:email:{email_key}", settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window)
        if by_ip or by_email:
            minutes = settings.PASSWORD_RESET_WINDOW_MINUTES
            form.add_error(
                None,
                ngettext(
                    "Слишком много запросов на восстановление пароля. Попробуйте снова через %(n)d "
                    "минуту или обратитесь к администратору.",
                    "Слишком много запросов на восстановление пароля. Попробуйте снова через %(n)d "
                    "минут или обратитесь к администратору.",
                    minutes,
                )
                % {"n": minutes},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The link in an invitation: the person chooses a password and is signed in.

    Django's reset-token machinery: the token covers the password hash and the last login, so it
    stops working once the password is set; a switched-off user gets «ссылка недействительна».
    """

    template_name = "registration/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = "/"

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None
