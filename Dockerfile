# Salesbot: `docker build -t salesbot .`, then see compose.yaml or deploy/kubernetes/.
# Two stages: the wheels are built with pip in the first; the final image has Python, the installed
# packages and nothing to build with (no pip cache, no compiler, no source tree).

FROM python:3.11-slim-bookworm AS build
WORKDIR /src
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY requirements.lock pyproject.toml README.md ./
COPY bot bot
COPY domain domain
COPY handlers handlers
COPY localslack localslack
COPY models models
COPY scheduler scheduler
COPY services services
COPY views views
# The versions the tests ran with (requirements.lock, as constraints: only what the bot needs is installed).
RUN python -m venv /opt/salesbot \
 && /opt/salesbot/bin/pip install --no-compile -c requirements.lock . \
 && /opt/salesbot/bin/pip uninstall -y pip setuptools wheel

FROM python:3.11-slim-bookworm
# The base image's own pip is build tooling too.
RUN python -m pip uninstall -y pip setuptools wheel 2>/dev/null; \
    useradd --system --uid 10001 --home-dir /srv/salesbot --create-home salesbot
COPY --from=build /opt/salesbot /opt/salesbot
ENV PATH=/opt/salesbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    HEALTH_PORT=3001 \
    LOG_FORMAT=json \
    MPLCONFIGDIR=/tmp/matplotlib
USER salesbot
WORKDIR /srv/salesbot
EXPOSE 3000
# /healthz answers without the database; `salesbot serve` in Socket Mode and `salesbot scheduler`
# serve it on HEALTH_PORT instead (override the check there: --health-cmd or the orchestrator's probe).
HEALTHCHECK --interval=15s --timeout=2s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=1)"]
# exec form: the bot is PID 1 and gets SIGTERM itself, and stops cleanly (see docs/operations.md).
ENTRYPOINT ["salesbot"]
CMD ["serve"]
