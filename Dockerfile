# syntax=docker/dockerfile:1
# The case library as a container: build the static site, then serve it with nginx.
#
#   docker build -t hls-case-library .
#   docker run --rm -p 8080:80 hls-case-library      # then open http://127.0.0.1:8080/
#
# The site is built for the site_url in mkdocs.yml; set it to the address readers will use.
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
RUN hls build --site-dir /site

# Material writes a few small inline scripts into each page. deploy/nginx/default.conf allows
# the ones a site served at "/" has by their sha256 hashes (there is no 'unsafe-inline'). If the
# built site has any other inline script (for example on 404.html when site_url has a subpath),
# add its hash to script-src here, and say so, instead of letting the browser block it.
RUN python - <<'EOF'
import base64, hashlib, re
from pathlib import Path

conf_path = Path("deploy/nginx/default.conf")
conf = conf_path.read_text()
scripts = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
data_type = re.compile(r"""\btype=["']?(?!(?:module|text/javascript|application/javascript)\b)""")
needed = []
for page in sorted(Path("/site").rglob("*.html")):
    for script in scripts.finditer(page.read_text("utf-8")):
        if re.search(r"\bsrc=", script["attrs"]) or data_type.search(script["attrs"]):
            continue  # an external script ('self'), or data such as application/json
        source = "'sha256-" + base64.b64encode(hashlib.sha256(script["body"].encode()).digest()).decode() + "'"
        if source not in conf and source not in needed:
            print(f"CSP: adding {source} for an inline script in {page.relative_to('/site')}")
            needed.append(source)
if needed:
    conf = conf.replace("script-src 'self' 'wasm-unsafe-eval'", " ".join(["script-src 'self' 'wasm-unsafe-eval'", *needed]))
Path("/default.conf").write_text(conf)
EOF

# ---- 2. serve ---------------------------------------------------------------------------------
# A small official image: nginx's stable line on Alpine, at an exact version (see the top).
FROM nginx:1.30.5-alpine
COPY --from=build /default.conf /etc/nginx/conf.d/default.conf
COPY --from=build /site /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK CMD wget -q --spider http://127.0.0.1/ || exit 1
