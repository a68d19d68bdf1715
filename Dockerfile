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
# `backcare run` applies pending migrations before it starts polling.
CMD ["backcare", "run"]
