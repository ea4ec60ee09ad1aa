#!/usr/bin/env bash
# Fetches the real photograph the photo-composite tests use into .cache/test-data/:
# astronaut.png from Debian's python3-skimage package (scikit-image's sample data:
# NASA's portrait of astronaut Eileen Collins, public domain). The package itself is
# not installed: its .deb is downloaded and the one file taken out of it. Without
# network access the tests that need it say so and skip.
set -u
dest="$(dirname "$0")/../.cache/test-data"
file="$dest/astronaut.png"
[ -s "$file" ] && exit 0
mkdir -p "$dest"
installed=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
if [ -s "$installed" ]; then cp "$installed" "$file"; exit 0; fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if (cd "$tmp" && apt-get download python3-skimage >/dev/null 2>&1); then
  dpkg-deb --fsys-tarfile "$tmp"/python3-skimage_*.deb |
    tar -xO ./usr/lib/python3/dist-packages/skimage/data/astronaut.png > "$tmp/astronaut.png" &&
    mv "$tmp/astronaut.png" "$file"
else
  echo "test-photo: python3-skimage could not be downloaded; the real-photo test will be skipped" >&2
fi
exit 0
