"""Personal API tokens: created and revoked by their owner on the profile page, checked by the
API's authentication class. A token acts with exactly its owner's reach through the gate.

Format ``rmp_<prefix>_<secret>``: the prefix finds the row, the SHA-256 of the whole token is
compared in constant time; the token itself is never stored.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from schools.models import ApiToken, User

TOKEN_PREFIX = "rmp"
MAX_ACTIVE_TOKENS = 10
# Writing last_used_at on every request would turn each read into a write; a minute is enough.
TOUCH_EVERY = dt.timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


EXPIRY_CHOICES = (30, 90, 365)  # days, offered on the profile page; no expiry is the default


@transaction.atomic
def do_create_api_token(
    *,
    user: User,
    name: str,
    scope: str = ApiToken.Scope.READ_WRITE,
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret, which is never shown again.
    ``scope`` «read» allows reads only; ``expires_in_days`` ends it at the region-independent
    moment ``now + days`` (None: until revoked)."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Выберите права токена из списка.")})
    if expires_in_days is not None and not 1 <= expires_in_days <= 3660:
        raise ValidationError({"expires_in_days": _("Срок действия — от 1 дня до 10 лет.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Назовите токен: например, «скрипт выгрузки».")})
    if len(name) > 100:
        raise ValidationError({"name": _("Название не длиннее 100 знаков.")})
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per user
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("Действующих токенов уже %(n)s — отзовите ненужный.") % {"n": MAX_ACTIVE_TOKENS}
        )
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    row = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=_hash(token), scope=scope, expires_at=expires_at
    )
    return row, token


@transaction.atomic
def do_revoke_api_token(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; somebody else's answers as «not found»."""
    row = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if row is None:
        raise ValidationError(_("Токен не найден."))
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
    return row


def token_for(raw: str) -> ApiToken | None:
    """The active token row matching ``raw``, or None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    row = ApiToken.objects.select_related("user").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if row is None or not hmac.compare_digest(row.key_hash, _hash(raw)):
        return None
    return row


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>`` (or ``Token <token>``); ``request.auth`` is the ApiToken."""

    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Неверный заголовок Authorization: нужен «Bearer <токен>».")
            )
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Токен содержит недопустимые символы.")) from exc
        row = token_for(raw)
        if row is None or not row.user.is_active:
            raise exceptions.AuthenticationFailed(_("Токен недействителен или отозван."))
        if row.expired:
            raise exceptions.AuthenticationFailed(
                _("Срок действия токена истёк %(when)s. Создайте новый в профиле.")
                % {"when": timezone.localtime(row.expires_at).strftime("%d.%m.%Y %H:%M")}
            )
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return row.user, row

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
