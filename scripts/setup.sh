#!/bin/sh
# setup.sh: install the build dependencies from Debian packages, build
# bedrock-setup into build/, and start the wizard in demo mode.
#
#   sh scripts/setup.sh            install, build, start the demo wizard
#   sh scripts/setup.sh --no-demo  install and build only (CI uses this)
#
# apt-get runs as root, or through sudo for other users.  Packages already
# installed are not fetched again.
set -eu

cd "$(dirname "$0")/.."

PACKAGES="build-essential autoconf automake autopoint gettext pkg-config
 libncurses-dev libcurl4-openssl-dev libssl-dev libcjson-dev libexpat1-dev
 zlib1g-dev ca-certificates tmux python3 python3-botocore python3-boto3
 valgrind"

demo=1
for arg in "$@"; do
	case $arg in
	--no-demo) demo=0 ;;
	*) echo "setup.sh: unknown argument '$arg' (use --no-demo)" >&2; exit 2 ;;
	esac
done

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "setup.sh: needs root or sudo to install packages" >&2
	exit 1
fi

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "setup.sh: installing:$missing"
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	    --no-install-recommends $missing
fi

autoreconf -fi
mkdir -p build
cd build
[ -f Makefile ] || ../configure
make -j"$(nproc 2>/dev/null || echo 2)"

if [ "$demo" -eq 1 ]; then
	exec ./src/bedrock-setup --demo
fi
