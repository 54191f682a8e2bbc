# syntax=docker/dockerfile:1
# The case library as a container: build the static site, then serve it with nginx.
#
#   docker build --build-arg SITE_URL=https://library.example.org/ -t hls-case-library .
#   docker run --rm -p 8080:80 hls-case-library      # then open http://127.0.0.1:8080/
#
# SITE_URL is the address readers will use (citations, the feed and search are made from it); the
# build stops if it is missing or a loopback address. It may also be set as site_url in mkdocs.yml.
#
# Both base images are pinned to exact versions (Dependabot proposes new ones weekly). They are not
# pinned by digest: the versions were chosen without access to a container registry, so no digest
# could be read or checked. To pin one, append the digest that
#   docker buildx imagetools inspect python:3.11.17-slim-trixie
# prints, as FROM python:3.11.17-slim-trixie@sha256:<digest> (the same for nginx).

# ---- 1. build ---------------------------------------------------------------------------------
FROM python:3.11.17-slim-trixie AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 NO_MKDOCS_2_WARNING=1
WORKDIR /src

# Install the packages first, so that editing content does not reinstall them: exactly those of
# requirements.lock, each checked against its hash (scripts/lock refreshes the lock). The lock also
# holds the test tools; this stage is thrown away, so they never reach the image that is served.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
# Then the project itself, with nothing more downloaded.
COPY pyproject.toml README.md LICENSE ./
COPY hls_site ./hls_site
RUN pip install --no-deps --no-build-isolation .

# Then the content and configuration (mkdocs.yml, docs/, cases/, principles/, guide/, and
# vocabularies/ if you have one). Validates, builds with --strict and indexes for search.
COPY . .
ARG SITE_URL=""
RUN hls build --site-dir /site ${SITE_URL:+--site-url "$SITE_URL"}

# Material writes a few small inline scripts into each page; the nginx configuration allows them by
# their sha256 hashes (no 'unsafe-inline'). `hls csp` computes the hashes of every inline script in
# the built site and sets script-src to exactly those.
RUN hls csp /site --config deploy/nginx/default.conf --write /default.conf

# ---- 2. serve ---------------------------------------------------------------------------------
# A small official image: nginx's stable line on Alpine, at an exact version (see the top).
FROM nginx:1.30.5-alpine
COPY --from=build /default.conf /etc/nginx/conf.d/default.conf
COPY --from=build /site /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK CMD wget -q --spider http://127.0.0.1/ || exit 1
