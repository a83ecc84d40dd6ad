# grok2api on Debian 12. The build stage runs exactly the README's quick start (the same
# install script and cmake commands, so CI exercises these steps without a Docker engine);
# the runtime stage keeps the installed binary and plugins with their shared libraries.
#
#   docker build -t grok2api .
#   docker run -p 8001:8001 -v "$PWD/data:/app/data" -v "$PWD/logs:/app/logs" grok2api
#
# docker-compose.yml runs it with file, MySQL or Redis storage.

FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN ./scripts/install-deps.sh \
 && cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build \
 && cmake --install build --prefix /opt/grok2api

FROM debian:12
# The shared libraries the binary and the bundled plugins link (ldd), curl for the health
# check, CA certificates for grok.com, tzdata for the call-log time zones.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates curl tzdata \
      libboost-atomic1.81.0 libboost-container1.81.0 libboost-filesystem1.81.0 \
      libboost-json1.81.0 libboost-url1.81.0 \
      libcurl4 libfmt9 libspdlog1.10 libssl3 libtomlplusplus3 \
      libmariadb3 libhiredis0.14 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/grok2api/bin/grok2api /opt/grok2api/bin/grok2api
COPY --from=build /opt/grok2api/lib/grok2api /opt/grok2api/lib/grok2api
COPY data/setting.example.toml /opt/grok2api/share/setting.example.toml

# data/ (setting.toml, token.json, proxy_state.json, call logs, video tasks, the media
# cache) and logs/ (app.log) live in volumes; settings may also come from the environment
# (STORAGE_MODE, DATABASE_URL, API_KEY, ADMIN_PASSWORD, ... see the README).
WORKDIR /app
RUN mkdir -p /app/data /app/logs
VOLUME ["/app/data", "/app/logs"]
ENV HOST=0.0.0.0 PORT=8001
EXPOSE 8001
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health" >/dev/null || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/grok2api/bin/grok2api", "--data-dir", "/app/data"]
