# syntax=docker/dockerfile:1
# mcp-gateway in a container (docs/deploy.md). Two stages: the official Swift image builds the
# release package (scripts/build-release.sh: a stripped binary with the Swift runtime linked in,
# and its resource folders); a slim Debian image runs it as a non-root user. Not run on the
# machine this was written on (no Docker engine there); Tests/interop/test_packaging.py checks it.
#
#   docker build -t mcp-gateway .
#   docker run -p 8080:8080 -e MCP_GATEWAY_ADMIN_KEY=$(openssl rand -hex 24) mcp-gateway
#   docker run ... -v $PWD/gateway.yaml:/etc/mcp-gateway/gateway.yaml:ro mcp-gateway

FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Benchmarks ./Benchmarks
COPY Tests ./Tests
COPY packaging ./packaging
COPY examples ./examples
COPY scripts ./scripts
COPY README.md ./
RUN scripts/build-release.sh --no-tar && cp -RL dist/mcp-gateway /opt/mcp-gateway

FROM debian:bookworm-slim
# ca-certificates: HTTPS backends and OAuth issuers are verified against the system roots;
# libsqlite3-0: the tool profiles (GRDB) use the system SQLite. The binary needs nothing else
# beyond what the slim image has (C library, libstdc++, zlib).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libsqlite3-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/mcp-gateway --create-home mcp-gateway \
    && mkdir -p /etc/mcp-gateway /var/cache/mcp-gateway \
    && chown mcp-gateway:mcp-gateway /var/cache/mcp-gateway \
    && chmod 0700 /var/cache/mcp-gateway
COPY --from=build /opt/mcp-gateway /opt/mcp-gateway
RUN ln -s /opt/mcp-gateway/mcp-gateway /usr/local/bin/mcp-gateway
COPY packaging/docker/gateway.yaml /etc/mcp-gateway/gateway.yaml
ENV MCP_GATEWAY_CACHE_DIR=/var/cache/mcp-gateway
USER mcp-gateway:mcp-gateway
WORKDIR /var/lib/mcp-gateway
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["mcp-gateway", "ready", "--config", "/etc/mcp-gateway/gateway.yaml", "--timeout", "3"]
ENTRYPOINT ["mcp-gateway"]
CMD ["serve", "--config", "/etc/mcp-gateway/gateway.yaml"]
