#!/usr/bin/env bash
# Builds the Debian package orderflow_VERSION-REVISION_amd64.deb: the binary with the Swift
# runtime linked in, the crash backtracer, the systemd units, /etc/orderflow/orderflow.env (a
# conffile), man pages, the RabbitMQ and PostgreSQL setup files and the docs. The package's
# absolute path is the last line of standard output; everything else goes to standard error.
# Reproducible: every time stamp is SOURCE_DATE_EPOCH (HEAD's commit time unless set), so the
# same binary packaged twice gives byte-identical packages.
#
#   deploy/package.sh [--revision N] [--binary PATH] [--output DIR]
#
#   --revision N    Debian revision (default 1); the version is the one `orderflow --version` prints
#   --binary PATH   package this binary; it must have the Swift runtime linked in (default: build
#                   one: swift build -c release --static-swift-stdlib, scratch path .build-release)
#   --output DIR    where the package goes (default: ${ORDERFLOW_STATE_DIR:-.state}/packages)
#
# Runs as root on Debian 12 with Swift in /opt/swift; apt-get installs dpkg-dev (and, to build,
# the -dev packages) when missing. The man pages come from swift-argument-parser's generate-manual
# at the version Package.resolved pins, built once into .build-release/generate-manual.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SWIFT=/opt/swift/usr/bin/swift
BACKTRACER=/opt/swift/usr/libexec/swift/linux/swift-backtrace-static
SCRATCH=$ROOT/.build-release
MAINTAINER='orderflow maintainers <maintainers@orderflow.example>'
# librabbitmq4's frame-handling CVE fixes; dpkg-shlibdeps only knows the ABI's minimum.
LIBRABBITMQ_MINIMUM=0.11.0-1+deb12u3

log() { printf '[package] %s\n' "$*" >&2; }
die() { printf '[package] error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# debian/copyright (DEP-5). The repository has no licence file, so none is granted: all rights
# reserved. What the binary links in keeps its own licence, listed by where its source comes from.
write_copyright() {
  cat <<TEXT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: orderflow
Upstream-Contact: $MAINTAINER
Comment: /usr/bin/orderflow has the Swift runtime, Foundation (with ICU) and the
 Swift packages pinned in Package.resolved linked into it; they keep the
 licences listed below. /usr/libexec/orderflow/swift-backtrace-static is the
 Swift toolchain's crash backtracer, unchanged but stripped.

Files: *
Copyright: $YEARS orderflow authors
License: all-rights-reserved
 All rights reserved.

Files: opt/swift/*
Copyright: Apple Inc. and the Swift project authors
Comment: The Swift toolchain (/opt/swift): the static Swift runtime, Dispatch
 and Foundation libraries linked into /usr/bin/orderflow, and
 swift-backtrace-static.
License: Apache-2.0 with Runtime Library Exception

Files: .build-release/checkouts/swift-argument-parser/*
 .build-release/checkouts/swift-async-algorithms/*
 .build-release/checkouts/swift-atomics/*
 .build-release/checkouts/swift-collections/*
 .build-release/checkouts/swift-system/*
Copyright: Apple Inc. and the Swift project authors
License: Apache-2.0 with Runtime Library Exception

Files: .build-release/checkouts/swift-log/*
 .build-release/checkouts/swift-metrics/*
 .build-release/checkouts/swift-nio/*
 .build-release/checkouts/swift-service-lifecycle/*
Copyright: Apple Inc. and the Swift Logging API, Swift Metrics API, SwiftNIO and
 SwiftServiceLifecycle project authors
License: Apache-2.0

Files: .build-release/checkouts/swift-prometheus/*
Copyright: SwiftPrometheus project authors
License: Apache-2.0

Files: .build-release/checkouts/swift-mustache/*
Copyright: the Hummingbird authors
License: Apache-2.0

Files: .build-release/checkouts/swift-nio/Sources/CNIOLLHTTP/*
Copyright: 2018 Fedor Indutny
License: MIT

Files: opt/swift/usr/lib/swift_static/linux/lib_FoundationICU.a
Copyright: 2016 and later Unicode, Inc. and others
Comment: ICU, as swift-foundation-icu (https://www.unicode.org/copyright.html).
License: Unicode-3.0

License: Apache-2.0
 On Debian systems the full text of the Apache License, Version 2.0 is in
 /usr/share/common-licenses/Apache-2.0.

License: Apache-2.0 with Runtime Library Exception
 On Debian systems the full text of the Apache License, Version 2.0 is in
 /usr/share/common-licenses/Apache-2.0.
 .
 Runtime Library Exception to the Apache 2.0 License:
 .
 As an exception, if you use this Software to compile your source code and
 portions of this Software are embedded into the binary product as a result,
 you may redistribute such product without providing attribution as would
 otherwise be required by Sections 4(a), 4(b) and 4(d) of the License.

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a
 copy of this software and associated documentation files (the
 "Software"), to deal in the Software without restriction, including
 without limitation the rights to use, copy, modify, merge, publish,
 distribute, sublicense, and/or sell copies of the Software, and to permit
 persons to whom the Software is furnished to do so, subject to the
 following conditions:
 .
 The above copyright notice and this permission notice shall be included
 in all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
 OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
 MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
 NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
 DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
 OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
 USE OR OTHER DEALINGS IN THE SOFTWARE.

License: Unicode-3.0
 UNICODE LICENSE V3
 .
 COPYRIGHT AND PERMISSION NOTICE
 .
 Copyright © 2016-2024 Unicode, Inc.
 .
 NOTICE TO USER: Carefully read the following legal agreement. BY
 DOWNLOADING, INSTALLING, COPYING OR OTHERWISE USING DATA FILES, AND/OR
 SOFTWARE, YOU UNEQUIVOCALLY ACCEPT, AND AGREE TO BE BOUND BY, ALL OF THE
 TERMS AND CONDITIONS OF THIS AGREEMENT. IF YOU DO NOT AGREE, DO NOT
 DOWNLOAD, INSTALL, COPY, DISTRIBUTE OR USE THE DATA FILES OR SOFTWARE.
 .
 Permission is hereby granted, free of charge, to any person obtaining a
 copy of data files and any associated documentation (the "Data Files") or
 software and any associated documentation (the "Software") to deal in the
 Data Files or Software without restriction, including without limitation
 the rights to use, copy, modify, merge, publish, distribute, and/or sell
 copies of the Data Files or Software, and to permit persons to whom the
 Data Files or Software are furnished to do so, provided that either (a)
 this copyright and permission notice appear with all copies of the Data
 Files or Software, or (b) this copyright and permission notice appear in
 associated Documentation.
 .
 THE DATA FILES AND SOFTWARE ARE PROVIDED "AS IS", WITHOUT WARRANTY OF ANY
 KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
 MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT OF
 THIRD PARTY RIGHTS.
 .
 IN NO EVENT SHALL THE COPYRIGHT HOLDER OR HOLDERS INCLUDED IN THIS NOTICE
 BE LIABLE FOR ANY CLAIM, OR ANY SPECIAL INDIRECT OR CONSEQUENTIAL DAMAGES,
 OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS,
 WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION,
 ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THE DATA
 FILES OR SOFTWARE.
 .
 Except as contained in this notice, the name of a copyright holder shall
 not be used in advertising or otherwise to promote the sale, use or other
 dealings in these Data Files or Software without prior written
 authorization of the copyright holder.
TEXT
}

REVISION=1
BINARY=
OUTPUT=${ORDERFLOW_STATE_DIR:-$ROOT/.state}/packages
while (($#)); do
  case $1 in
    --revision) REVISION=${2:-}; shift 2 || usage ;;
    --binary) BINARY=${2:-}; shift 2 || usage ;;
    --output) OUTPUT=${2:-}; shift 2 || usage ;;
    *) usage ;;
  esac
done
[[ $REVISION =~ ^[0-9A-Za-z.+~]+$ ]] || die "revision '$REVISION': letters, digits and . + ~ only"
[[ -n $OUTPUT ]] || usage

# Installs Debian packages that are missing; no prompts, nothing read from stdin.
need_packages() {
  local missing=() p
  for p in "$@"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == 'install ok installed' ]] || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [[ $(id -u) == 0 ]] || die "missing Debian packages: ${missing[*]} (run as root to install them)"
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >&2 || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2 || die "apt-get install ${missing[*]} failed"
}

# dpkg-shlibdeps needs the runtime libraries installed (it asks dpkg who ships them), and the
# binary needs them to print its version.
need_packages dpkg-dev binutils librabbitmq4 libpq5 libcurl4
[[ -x $SWIFT ]] || die "no Swift in /opt/swift: it builds the binary and the man pages"
[[ -x $BACKTRACER ]] || die "no $BACKTRACER: the units' SWIFT_BACKTRACE needs it"

if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
  SOURCE_DATE_EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null) || die "not a git checkout: set SOURCE_DATE_EPOCH"
fi
export SOURCE_DATE_EPOCH
COMMIT=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$ROOT" status --porcelain 2>/dev/null) ]]; then TREE=dirty; else TREE=clean; fi

BUILT_HERE=no
if [[ -z $BINARY ]]; then
  need_packages pkg-config libpq-dev librabbitmq-dev libcurl4-openssl-dev
  log "building a release binary with the Swift runtime linked in (scratch path .build-release)"
  (cd "$ROOT" && "$SWIFT" build -c release --static-swift-stdlib --product orderflow --scratch-path "$SCRATCH" >&2) \
    || die "swift build failed"
  BINARY=$SCRATCH/release/orderflow
  BUILT_HERE=yes
fi
[[ -f $BINARY && -x $BINARY ]] || die "$BINARY is not an executable"
# A binary that loads the Swift runtime from the toolchain (a debug build) would not start on a
# host without /opt/swift, and its RUNPATH is an error for lintian.
DYNAMIC=$(readelf -d "$BINARY") || die "$BINARY is not an ELF executable"
if grep -Eq 'NEEDED.*libswiftCore|R(UN)?PATH.*(\[|:)/' <<<"$DYNAMIC"; then
  die "$BINARY loads the Swift runtime from the toolchain: build it with --static-swift-stdlib (or leave out --binary)"
fi

# The binary runs in an empty environment: its version and help must not depend on the caller's.
run_clean() { env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
VERSION_LINE=$(run_clean "$BINARY" --version | sed -n 1p) || die "$BINARY --version failed"
[[ $VERSION_LINE =~ ^orderflow\ ([0-9][0-9A-Za-z.+~]*)( |$) ]] || die "unexpected version line: $VERSION_LINE"
VERSION=${BASH_REMATCH[1]}
FULL_VERSION=$VERSION-$REVISION
NAME=orderflow_${FULL_VERSION}_amd64.deb
log "packaging orderflow $FULL_VERSION from $BINARY (commit ${COMMIT:0:12}, tree $TREE)"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STAGE=$WORK/root
umask 022
DOC=$STAGE/usr/share/doc/orderflow
install -d "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/usr/libexec/orderflow" "$STAGE/lib/systemd/system" \
  "$STAGE/etc/orderflow" "$STAGE/usr/share/orderflow" "$DOC" "$STAGE/usr/share/man/man1"

# --- files ----------------------------------------------------------------------------------------

# Stripped as dh_strip does (lintian errors on symbol tables). orderflow's symbols and line
# tables go to /usr/lib/debug/.build-id/, where the crash backtracer finds them by the binary's
# build id: a backtrace in the journal names every frame, not only the shared libraries' ones.
install -m 0755 "$BINARY" "$STAGE/usr/bin/orderflow"
install -m 0755 "$BACKTRACER" "$STAGE/usr/libexec/orderflow/swift-backtrace-static"
BUILD_ID=$(readelf -n "$STAGE/usr/bin/orderflow" | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
[[ ${#BUILD_ID} -gt 2 ]] || die "$BINARY has no build id"
install -d "$STAGE/usr/lib/debug/.build-id/${BUILD_ID:0:2}"
objcopy --only-keep-debug --compress-debug-sections "$STAGE/usr/bin/orderflow" \
  "$STAGE/usr/lib/debug/.build-id/${BUILD_ID:0:2}/${BUILD_ID:2}.debug"
chmod 0644 "$STAGE/usr/lib/debug/.build-id/${BUILD_ID:0:2}/${BUILD_ID:2}.debug"
strip --remove-section=.comment --remove-section=.note "$STAGE/usr/bin/orderflow" "$STAGE/usr/libexec/orderflow/swift-backtrace-static"
# The steps the package cannot take (roles, broker user, credentials): deploy/install.sh.
install -d "$STAGE/usr/sbin"
install -m 0755 "$ROOT/deploy/install.sh" "$STAGE/usr/sbin/orderflow-setup"

install -m 0644 "$ROOT"/systemd/orderflow-worker@.service "$ROOT"/systemd/orderflow-notifier.service \
  "$ROOT"/systemd/orderflow-migrate.service "$ROOT"/systemd/orderflow.target \
  "$ROOT"/systemd/orderflow-prune.service "$ROOT"/systemd/orderflow-prune.timer "$STAGE/lib/systemd/system/"
install -m 0644 "$ROOT/deploy/orderflow.env" "$STAGE/etc/orderflow/orderflow.env"
install -m 0644 "$ROOT/deploy/rabbitmq-definitions.json" "$ROOT/deploy/postgres-setup.sql" \
  "$ROOT/deploy/rabbitmq.conf.example" "$STAGE/usr/share/orderflow/"
install -m 0644 "$ROOT/deploy/grafana/orderflow.json" "$ROOT/deploy/prometheus/orderflow-rules.yml" \
  "$STAGE/usr/share/orderflow/"
# The email templates the binary renders (it looks in ../share/orderflow/templates beside /usr/bin);
# an operator overrides them file by file in /etc/orderflow/templates.
install -d "$STAGE/usr/share/orderflow/templates"
install -m 0644 "$ROOT"/Sources/OrdersMail/templates/*.mustache "$STAGE/usr/share/orderflow/templates/"
# The web console's pages and style sheet (ORDERFLOW_CONSOLE_TOKEN): ../share/orderflow/console beside /usr/bin.
install -d "$STAGE/usr/share/orderflow/console"
install -m 0644 "$ROOT"/Sources/OrdersConsole/templates/*.mustache "$ROOT"/Sources/OrdersConsole/templates/console.css \
    "$STAGE/usr/share/orderflow/console/"
gzip -9n -c "$ROOT/README.md" > "$DOC/README.md.gz"

# Man pages: one per command (orderflow.1, orderflow.worker.1, ...), from the binary's own help.
PARSER=$SCRATCH/checkouts/swift-argument-parser
if [[ ! -f $PARSER/Package.swift ]]; then
  log "resolving the pinned dependencies (for swift-argument-parser's generate-manual)"
  (cd "$ROOT" && "$SWIFT" package --scratch-path "$SCRATCH" resolve >&2) || die "swift package resolve failed"
fi
log "building generate-manual (once)"
"$SWIFT" build -c release --package-path "$PARSER" --scratch-path "$SCRATCH/generate-manual" --product generate-manual >&2 \
  || die "building generate-manual failed"
install -d "$WORK/man"
run_clean "$SCRATCH/generate-manual/release/generate-manual" "$STAGE/usr/bin/orderflow" --multi-page \
  --date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)" --authors 'orderflow maintainers<maintainers@orderflow.example>' \
  --output-directory "$WORK/man" >&2 || die "generate-manual failed"
[[ -f $WORK/man/orderflow.1 ]] || die "generate-manual wrote no orderflow.1"
for page in "$WORK"/man/*.1; do
  base=$(basename "$page" .1)
  if [[ $base != orderflow ]]; then
    # whatis takes no spaces in a NAME entry (lintian: bad-whatis-entry): there the page is
    # orderflow.worker; where the command is shown it stays "orderflow worker".
    command=$(sed -n '/^\.Nm "/{s/^\.Nm "\(.*\)"$/\1/p;q}' "$page")
    [[ -n $command ]] || die "no command name in $page"
    sed -i -e "0,/^\.Nm \"$command\"\$/s//.Nm $base/" -e "s/^\.Nm\$/.Nm \"$command\"/" "$page"
  fi
  gzip -9n -c "$page" > "$STAGE/usr/share/man/man1/$base.1.gz"
done

# --- docs -------------------------------------------------------------------------------------------

DATE_RFC2822=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
YEAR=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y)
FIRST_YEAR=$(git -C "$ROOT" log --format=%ad --date=format:%Y 2>/dev/null | tail -1)
YEARS=${FIRST_YEAR:-$YEAR}
[[ $YEARS == "$YEAR" ]] || YEARS=$YEARS-$YEAR

gzip -9n > "$DOC/changelog.Debian.gz" <<CHANGELOG
orderflow ($FULL_VERSION) bookworm; urgency=medium

  * orderflow $VERSION, Debian revision $REVISION, from commit ${COMMIT:0:12}
    (the build-info file beside this one says how it was built).

 -- $MAINTAINER  $DATE_RFC2822
CHANGELOG

SWIFT_VERSION=$("$SWIFT" --version 2>/dev/null | awk '/Swift version/ && !seen { print; seen = 1 }')
if [[ -f $ROOT/Package.resolved ]]; then RESOLVED=$(sha256sum < "$ROOT/Package.resolved" | cut -d' ' -f1); else RESOLVED=none; fi
cat > "$DOC/build-info" <<INFO
package: orderflow $FULL_VERSION amd64
version: $VERSION
revision: $REVISION
commit: $COMMIT
tree: $TREE$([[ $TREE == dirty ]] && echo ' (uncommitted changes in the checkout when it was packaged)')
binary: $([[ $BUILT_HERE == yes ]] && echo 'built by deploy/package.sh: swift build -c release --static-swift-stdlib' || echo 'given with --binary')
binary version: $VERSION_LINE
binary sha256 (as installed, stripped): $(sha256sum < "$STAGE/usr/bin/orderflow" | cut -d' ' -f1)
swift: ${SWIFT_VERSION:-unknown} (the toolchain in /opt/swift on the packaging host)
Package.resolved sha256: $RESOLVED
source date: $(date -u -d "@$SOURCE_DATE_EPOCH" +%FT%TZ) (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)
INFO

write_copyright > "$DOC/copyright"

# --- maintainer scripts -------------------------------------------------------------------------

cat > "$STAGE/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
# orderflow postinst: the credentials folder, and systemd told about new or changed units.
# Nothing is enabled, started or restarted: a fresh install has no credentials yet, and an
# upgrade is rolled out by the operator one unit at a time (README "Upgrading").
set -e

if [ "$1" = configure ]; then
    # Root-only: every database, broker and SMTP password of the host lives here.
    if [ ! -d /etc/orderflow/credentials ]; then
        mkdir -m 0700 /etc/orderflow/credentials
        chown root:root /etc/orderflow/credentials
    fi
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload || true
    fi
fi
exit 0
SCRIPT

cat > "$STAGE/DEBIAN/prerm" <<'SCRIPT'
#!/bin/sh
# orderflow prerm: on removal, stop whatever of orderflow runs (the workers drain first). An
# upgrade leaves the services running: the operator restarts them one by one.
set -e

if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
    deb-systemd-invoke stop orderflow.target 'orderflow-worker@*.service' orderflow-notifier.service \
        orderflow-migrate.service orderflow-prune.timer orderflow-prune.service >/dev/null || true
fi
exit 0
SCRIPT

cat > "$STAGE/DEBIAN/postrm" <<'SCRIPT'
#!/bin/sh
# orderflow postrm: systemd forgets the removed units; a purge also deletes /etc/orderflow with
# the credentials, the operator's enablement links and the notifier's state folder.
set -e

if [ "$1" = purge ]; then
    rm -rf /etc/orderflow
    # Links left by `systemctl enable` (orderflow.target.wants/, multi-user.target.wants/).
    find /etc/systemd/system -maxdepth 2 -type l -lname '*/systemd/system/orderflow*' -delete 2>/dev/null || true
    rmdir /etc/systemd/system/orderflow.target.wants 2>/dev/null || true
    rm -rf /var/lib/private/orderflow /var/lib/orderflow
fi
if [ "$1" = remove ] || [ "$1" = purge ]; then
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload || true
    fi
fi
exit 0
SCRIPT

echo /etc/orderflow/orderflow.env > "$STAGE/DEBIAN/conffiles"

# --- control ------------------------------------------------------------------------------------

# Depends from the libraries the two executables link (dpkg-shlibdeps wants a debian/control).
install -d "$WORK/shlibs/debian"
printf 'Source: orderflow\nMaintainer: %s\n\nPackage: orderflow\nArchitecture: amd64\n' "$MAINTAINER" > "$WORK/shlibs/debian/control"
SHLIBS=$(cd "$WORK/shlibs" && dpkg-shlibdeps -O "$STAGE/usr/bin/orderflow" "$STAGE/usr/libexec/orderflow/swift-backtrace-static") \
  || die "dpkg-shlibdeps failed"
SHLIBS=${SHLIBS#shlibs:Depends=}
DEPENDS=("ca-certificates" "librabbitmq4 (>= $LIBRABBITMQ_MINIMUM)")
IFS=',' read -ra entries <<<"$SHLIBS"
for entry in "${entries[@]}"; do
  entry=$(sed 's/^ *//; s/ *$//' <<<"$entry")
  [[ $entry == librabbitmq4* ]] || DEPENDS+=("$entry")
done
DEPENDS_LINE=$(printf '%s\n' "${DEPENDS[@]}" | LC_ALL=C sort -u | paste -sd, - | sed 's/,/, /g')
for lib in libpq5 libcurl4 librabbitmq4; do
  grep -Eq "(^|, )$lib( |,|$)" <<<"$DEPENDS_LINE" || die "$lib missing from the computed Depends: $DEPENDS_LINE"
done

# Installed-Size as dpkg-gencontrol counts it: KiB per file, rounded up, plus 1 per directory.
INSTALLED_SIZE=$(cd "$STAGE" && find . -path ./DEBIAN -prune -o \( -type f -printf '%s\n' -o -printf '1024\n' \) \
  | awk '{ kib += int(($1 + 1023) / 1024) } END { print kib }')

cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: orderflow
Version: $FULL_VERSION
Architecture: amd64
Maintainer: $MAINTAINER
Installed-Size: $INSTALLED_SIZE
Depends: $DEPENDS_LINE
Suggests: postgresql-client, rabbitmq-server
Section: net
Priority: optional
Description: order ingest daemon for shops and marketplaces
 orderflow consumes channel orders (Shopify, WooCommerce, Amazon, eBay,
 Shopware, POS) from RabbitMQ, normalises each into one canonical order,
 stores it in PostgreSQL exactly once and sends the customers' shipment,
 delay and apology-voucher emails, once per event.
 .
 The package installs the orderflow command, its systemd units (ingest
 workers, the email notifier, migrations) and the RabbitMQ and PostgreSQL
 setup files. It enables and starts nothing.
CONTROL

# --- normalise and build ------------------------------------------------------------------------

find "$STAGE" -type d -exec chmod 0755 {} +
find "$STAGE" -type f -exec chmod 0644 {} +
chmod 0755 "$STAGE/usr/bin/orderflow" "$STAGE/usr/sbin/orderflow-setup" "$STAGE/usr/libexec/orderflow/swift-backtrace-static" \
  "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/prerm" "$STAGE/DEBIAN/postrm"
# md5sums for dpkg --verify, as dh_md5sums writes them (conffiles have their own).
(cd "$STAGE" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | LC_ALL=C sort -z \
  | xargs -0 md5sum > DEBIAN/md5sums)
chmod 0644 "$STAGE/DEBIAN/md5sums"
find "$STAGE" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$OUTPUT"
OUTPUT=$(cd "$OUTPUT" && pwd)
# One compressor thread: xz's multi-threaded output differs from the single-threaded one, so the
# bytes would depend on the number of cores.
dpkg-deb --root-owner-group -Zxz --threads-max=1 --build "$STAGE" "$WORK/$NAME" >&2 || die "dpkg-deb failed"
cp "$WORK/$NAME" "$OUTPUT/.$NAME.tmp"
mv -f "$OUTPUT/.$NAME.tmp" "$OUTPUT/$NAME"
log "built $OUTPUT/$NAME ($(du -h "$OUTPUT/$NAME" | cut -f1), sha256 $(sha256sum < "$OUTPUT/$NAME" | cut -c1-16)...)"
echo "$OUTPUT/$NAME"
