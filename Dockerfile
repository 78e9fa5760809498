# Production image: gunicorn serves the portal; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango; DejaVu fonts carry Cyrillic for PDFs; gettext compiles the Russian catalog.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install . \
 && DJANGO_SECRET_KEY=collectstatic-at-build-only DJANGO_MANIFEST_STATIC=1 WHITENOISE_USE_FINDERS=0 \
    python manage.py collectstatic --noinput \
 && DJANGO_SECRET_KEY=compilemessages-at-build-only python manage.py compilemessages --verbosity 0
RUN useradd --system --uid 1000 portal && mkdir -p /app/media /app/beat && chown -R portal /app/media /app/staticfiles /app/beat
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
