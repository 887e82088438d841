#!/bin/sh
# Builds scripts/search-model/measure (swiftc -O, with ToolSearch's sources) and runs it
# on the large dev catalog (extra arguments are passed on, e.g. --dump-ids FILE). Prints load RSS, indexing time, per-query embedding percentiles, R@1/R@5.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bench=${BENCH:-/work/shared/bench}
out=${TMPDIR:-/tmp}/search-model-measure
swiftc -O -swift-version 6 -module-name SearchModelMeasure -o "$out" \
    "$here/measure/main.swift" "$repo"/Sources/ToolSearch/*.swift "$repo"/Sources/ToolSearch/Embedding/*.swift
"$out" --model "$repo/Sources/ToolSearch/Resources/SearchModel" \
    --tools "$bench/search-dev-tools-large.json" --queries "$bench/search-dev.jsonl" "$@"
