#!/usr/bin/env bash
# `make wheelhouse`: every runtime Python package (requirements.txt, with its dependencies) as
# wheels for the target platform, so that a server without internet installs with
#   pip install --no-index --find-links <wheelhouse> -r <wheelhouse>/requirements.txt
# Usage: scripts/wheelhouse.sh [DEST] (WHEEL_ARCH=x86_64 or aarch64; PYTHON_VERSION=3.11).
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=${1:-var/wheelhouse}
ARCH=${WHEEL_ARCH:-x86_64}
PYVER=${PYTHON_VERSION:-3.11}
PIP=${PIP:-.venv/bin/pip}
abi="cp${PYVER/./}"

rm -rf "$DEST.partial"
mkdir -p "$DEST.partial"
# --only-binary: a wheel for every package (no compiler on the server). manylinux2014 = glibc 2.17;
# psycopg2-binary's aarch64 wheel needs glibc 2.28 (manylinux_2_28), as do Kylin V10 and UOS 20.
"$PIP" download --quiet --disable-pip-version-check --dest "$DEST.partial" \
    --only-binary=:all: --implementation cp --python-version "$PYVER" \
    --abi "$abi" --abi abi3 --abi none \
    --platform "manylinux2014_$ARCH" --platform "manylinux_2_17_$ARCH" --platform "manylinux_2_28_$ARCH" \
    -r requirements.txt pip
cp requirements.txt "$DEST.partial/requirements.txt"
(cd "$DEST.partial" && sha256sum -- *.whl >SHA256SUMS)
rm -rf "$DEST"
mv "$DEST.partial" "$DEST"
echo "wheelhouse for $ARCH, Python $PYVER: $DEST ($(ls "$DEST"/*.whl | wc -l) wheels, $(du -sh "$DEST" | cut -f1))"
