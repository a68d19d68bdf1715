# BackCare bot: slim, non-root; migrates the database, then starts the bot.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY jobs jobs
COPY guidance guidance
COPY storage storage
RUN pip install --no-cache-dir --prefix=/install .

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
