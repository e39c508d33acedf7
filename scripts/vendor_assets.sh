#!/usr/bin/env bash
# Copy the pinned front-end packages (package-lock.json) into static/vendor, licences included.
# The copies are committed so that `make run` needs no npm and the site never calls out.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --silent
dest=static/vendor
rm -rf "$dest" && mkdir -p "$dest/bootstrap" "$dest/echarts"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/"
cp node_modules/bootstrap/LICENSE "$dest/bootstrap/LICENSE"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts/"
cp node_modules/echarts/LICENSE node_modules/echarts/NOTICE "$dest/echarts/" 2>/dev/null || cp node_modules/echarts/LICENSE "$dest/echarts/"
echo "vendored: $(ls -R "$dest" | tr '\n' ' ')"
