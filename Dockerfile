# syntax=docker/dockerfile:1
# The case library as a container: build the static site, then serve it with nginx.
#
#   docker build -t hls-case-library .
#   docker run --rm -p 8080:80 hls-case-library      # then open http://127.0.0.1:8080/
#
# The site is built for the site_url in mkdocs.yml; set it to the address readers will use.

# ---- 1. build ---------------------------------------------------------------------------------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 NO_MKDOCS_2_WARNING=1
WORKDIR /src

# Install the project first, so that editing content does not reinstall the dependencies.
COPY pyproject.toml README.md LICENSE ./
COPY hls_site ./hls_site
RUN pip install .

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
# A small official image; pin it by digest (nginx:stable-alpine@sha256:...) for repeatable builds.
FROM nginx:stable-alpine
COPY --from=build /default.conf /etc/nginx/conf.d/default.conf
COPY --from=build /site /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK CMD wget -q --spider http://127.0.0.1/ || exit 1
