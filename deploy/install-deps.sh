#!/usr/bin/env bash
# Installs every Debian 12 package gongkai needs to build and run it; with
# --test also what the test suite needs (Chromium renders the HTML report;
# LibreOffice and poppler open the generated DOCX and PDF files).
# Idempotent; run as root (or through sudo) on a fresh Debian 12 machine.
set -euo pipefail

packages=(
  # Toolchain.
  g++ cmake ninja-build pkg-config git ca-certificates
  # gRPC and protobuf (protobuf-compiler-grpc also makes find_package(gRPC CONFIG) work).
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  # Abseil, SQLite; libpq for the PostgreSQL engine (--db postgresql://…).
  libabsl-dev libsqlite3-dev sqlite3 libpq-dev
  # Token hashing, TLS certificates (openssl makes test certificates).
  libssl-dev openssl
  # JSON, command line, UTF-8.
  nlohmann-json3-dev libcli11-dev libutf8proc-dev
  # sd_notify: gongkaid tells systemd when it is ready (Type=notify).
  libsystemd-dev
  # Report workbooks.
  libxlsxwriter-dev
  # The office's documents and ledger workbooks (.xlsx): DOCX (zip + XML) and PDF (pango on cairo) with
  # an embedded CJK font, which fonts-noto-cjk provides at run time.
  libzip-dev libxml2-dev libpango1.0-dev libcairo2-dev fonts-noto-cjk
  # Tests.
  libgtest-dev libgmock-dev
  # Used by the integration tests and for trying the daemon out.
  procps python3
)
if [ "${1:-}" = "--test" ]; then
  # The HTML report is checked in a real browser; CJK fonts make it look right.
  # systemd-analyze scores deploy/gongkaid.service (files_test).
  # documents_office_test converts every DOCX with LibreOffice and renders
  # and reads PDFs with pdftoppm and pdftotext.
  # The PostgreSQL tests start a throwaway server (tests/pg/with_postgres.sh:
  # initdb and pg_ctl from postgresql-15).
  packages+=(chromium fonts-noto-cjk systemd libreoffice-writer-nogui
             poppler-utils postgresql)
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
