#!/usr/bin/env bash
# Builds the release package: a stripped mcp-gateway with the Swift runtime linked in
# (--static-swift-stdlib: it needs only the C library, libm, libstdc++, libgcc_s, zlib and SQLite
# of the machine), next to
# the two resource folders it looks for beside itself (the search model and the capability starter
# pack), plus the systemd unit and an example configuration; then a .tar.gz of it all.
#
#   scripts/build-release.sh            # -> dist/mcp-gateway-<version>-linux-<arch>{/,.tar.gz}
#   SCRATCH=.build-static scripts/build-release.sh   # where SwiftPM builds (default .build-static)
#   scripts/build-release.sh --no-tar   # the folder only (the Dockerfile's build stage)
#
# Install: unpack anywhere (e.g. /opt/mcp-gateway) and link the binary into PATH; it finds its
# resources beside its real path. docs/deploy.md has the systemd and container set-ups.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SCRATCH=${SCRATCH:-.build-static}
TAR=1
[[ "${1:-}" == "--no-tar" ]] && TAR=0

swift build -c release --static-swift-stdlib --product mcp-gateway --scratch-path "$SCRATCH" 2>&1 \
  | { grep -Ev "unhandled; explicitly declare|CMakeLists.txt|the use of .mktemp. is dangerous" || true; }
BIN_DIR="$SCRATCH/release"
[[ -x "$BIN_DIR/mcp-gateway" ]] || { echo "build-release: $BIN_DIR/mcp-gateway was not built" >&2; exit 1; }

VERSION=$("$BIN_DIR/mcp-gateway" --version)
ARCH=$(uname -m)
NAME="mcp-gateway-$VERSION-linux-$ARCH"
OUT="dist/$NAME"
rm -rf "$OUT" "dist/$NAME.tar.gz"
mkdir -p "$OUT"
strip -o "$OUT/mcp-gateway" "$BIN_DIR/mcp-gateway"
for bundle in mcp-gateway_ToolSearch.resources mcp-gateway_GatewayCapabilities.resources; do
  [[ -d "$BIN_DIR/$bundle" ]] || { echo "build-release: $BIN_DIR/$bundle is missing" >&2; exit 1; }
  cp -R "$BIN_DIR/$bundle" "$OUT/"
done
cp packaging/systemd/mcp-gateway.service "$OUT/"
cp examples/gateway.yaml "$OUT/gateway.example.yaml"
cp README.md "$OUT/"

# The Swift runtime must be inside the binary: a libswift* dependency would need a toolchain on
# the target machine.
if ldd "$OUT/mcp-gateway" | grep -q libswift; then
  echo "build-release: $OUT/mcp-gateway still links the Swift runtime dynamically:" >&2
  ldd "$OUT/mcp-gateway" >&2
  exit 1
fi
ln -sfn "$NAME" dist/mcp-gateway
if [[ $TAR == 1 ]]; then
  tar -C dist -czf "dist/$NAME.tar.gz" "$NAME"
  echo "dist/$NAME.tar.gz: $(du -h "dist/$NAME.tar.gz" | cut -f1)"
fi
echo "$OUT/mcp-gateway: $(du -h "$OUT/mcp-gateway" | cut -f1), needs: $(ldd "$OUT/mcp-gateway" | awk '/=>/ {print $1}' | tr '\n' ' ')"
