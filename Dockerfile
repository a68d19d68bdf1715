# BackCare bot: slim, non-root; migrates the database, then starts the bot.
FROM python:3.11-slim AS build
WORKDIR /src
# The same pinned, hash-checked releases as `make run` and `make test`: uv.lock.
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock README.md ./
RUN uv export --locked --no-dev --no-emit-project --format requirements-txt -o requirements.txt \
 && pip install --no-cache-dir --require-hashes --prefix=/install -r requirements.txt
COPY bot bot
COPY jobs jobs
COPY guidance guidance
COPY storage storage
RUN pip install --no-cache-dir --no-deps --prefix=/install .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN useradd --create-home --uid 10001 backcare
COPY --from=build /install /usr/local
WORKDIR /app
COPY settings.toml ./
RUN mkdir -p /app/data && chown backcare:backcare /app/data
USER backcare
VOLUME ["/app/data"]
# Health, readiness and metrics (see docs/operations/health.md): on all interfaces inside
# the container, so that compose, a load balancer or Prometheus can reach them.
ENV BACKCARE_OPS__LISTEN=0.0.0.0 BACKCARE_OPS__PORT=8844
EXPOSE 8844
# The slim image has no curl: ask with Python. /healthz is "alive", not "ready": a bot
# waiting for its database is not restarted for it (the start-up wait handles that).
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8844/healthz', timeout=4)"]
# `backcare run` applies pending migrations before it starts polling.
CMD ["backcare", "run"]
