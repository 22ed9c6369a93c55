# A stand-in for the postgres:16 image that docker/compose.yaml runs, for docker/test-image.sh on machines that reach no
# image registry: Debian's PostgreSQL behind an entry point that honours the same POSTGRES_USER, POSTGRES_PASSWORD,
# POSTGRES_DB and data directory (/var/lib/postgresql/data), and answers the compose file's pg_isready healthcheck.
ARG BASE=local/debian:bookworm
FROM ${BASE}
RUN mkdir -p /etc/postgresql-common \
 && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown postgres:postgres /var/lib/postgresql/data /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
USER postgres
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
