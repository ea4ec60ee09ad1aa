#!/usr/bin/env bash
# Installs the Debian packages Stipple builds and tests with, only those missing.
# Uses sudo when not root; does nothing when everything is present.
set -euo pipefail

packages=(
  build-essential      # g++ and make
  cmake                # the build
  ninja-build          # fast parallel builds
  pkg-config
  libfmt-dev           # text formatting
  nlohmann-json3-dev   # JSON documents
  libcli11-dev         # command-line parsing
  libgtest-dev         # unit and end-to-end tests
  libbenchmark-dev     # bench/
  libcairo2-dev        # design diagrams (PNG) and the consultation report (PDF)
  libpango1.0-dev      # the report's text: layout, line breaking, any script
  fonts-dejavu-core    # the report's typeface (DejaVu Sans)
  fonts-noto-core      # the report's letters DejaVu Sans lacks: Arabic, Hebrew, Devanagari, Thai and more
  fonts-noto-cjk       # Chinese, Japanese and Korean in the report and diagrams (Noto Sans CJK)
  fonts-symbola        # emoji as outlines, so they print and read back as text (colour emoji would be pictures)
  libopencv-core-dev libopencv-imgproc-dev  # simulate: images, splats, blur, the match
  libopencv-imgcodecs-dev  # the tests and benchmarks only: a second, independent PNG/JPEG/WebP reader and writer
  libpng-dev libjpeg62-turbo-dev libwebp-dev  # PNG, JPEG and WebP in and out (photo/codec.h)
  libzip-dev           # a client's whole record exported as one ZIP file
  libheif-dev          # HEIC photos (libheif, with libde265 to decode and x265 to make test files)
  liblcms2-dev         # photos' ICC profiles (Display P3, Adobe RGB) converted to sRGB (Little CMS 2)
  zlib1g-dev           # inflating a PNG's embedded ICC profile
  python3              # docs scripts and the JSON Schema check
  python3-jsonschema   # holds every shipped JSON Schema (docs/intake.schema.json, docs/schemas) to its reader
  libhowardhinnant-date-dev  # the clinic's time zone from the tz database (date/tz)
  tzdata               # the tz database (/usr/share/zoneinfo) the calendar's VTIMEZONE is made from
  python3-icalendar    # reads back the plan's calendar (tests/check_ics.py)
  python3-vobject      # a second, independent calendar reader: times through the file's VTIMEZONE
  poppler-utils        # reads back the consultation report (tests/check_pdf.py)
  libcpp-httplib-dev   # stipple serve: the HTTP server (and the tests' HTTP client)
  libsoci-dev          # the studio's database access: SOCI with its SQLite and PostgreSQL backends
  libboost-dev         # Boost's headers, which Debian's SOCI headers include (SOCI_HAVE_BOOST)
  libsqlite3-dev       # the studio's default database, a SQLite file
  libpq-dev            # PostgreSQL's client library, for SOCI's PostgreSQL backend
  libsodium-dev        # Argon2id password hashes, random tokens and ids, SHA-256 (sessions, audit chain)
  postgresql-15        # the throwaway PostgreSQL cluster the store's tests run against (tools/pg-test.sh)
  postgresql-client-15 # pg_dump and psql: stipple admin backup and restore on PostgreSQL
)

# Extra packages for one target may be named on the command line (make fuzz does).
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
