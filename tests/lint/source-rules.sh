#!/bin/bash
# source-rules.sh: the rules of the codebase that a grep can check, as TAP.
#
#   - banned calls: strcpy, sprintf, vsprintf, strtok, atoi (src, tests, bench);
#   - curses only in src/tui;
#   - the core never calls gettext (it marks text with N_() only);
#   - one core file per library: OpenSSL in crypto.c, curl in http.c,
#     cJSON in json.c, expat in xml.c;
#   - every source file with _() or N_() text is listed in po/POTFILES.in;
#   - TLS verification is always on: curl's VERIFYPEER is only ever set
#     to 1L and VERIFYHOST to 2L, and nothing else touches verification.
#
# Usage: source-rules.sh SRCDIR
set -u
top=${1:-.}
cd "$top" || { echo "1..0 # SKIP no source tree at $top"; exit 0; }

n=0 failed=0
check() {	# check NAME OFFENDERS
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '%s\n' "$2" | sed 's/^/#   /'
		failed=1
	fi
}

c_files() { find "$@" -name '*.[ch]' 2>/dev/null | sort; }

out=$(c_files src tests bench | xargs -r grep -nE \
    '(^|[^A-Za-z0-9_])(strcpy|sprintf|vsprintf|strtok|atoi)[[:space:]]*\(')
check "no strcpy, sprintf, vsprintf, strtok or atoi" "$out"

out=$(c_files src | grep -v '^src/tui/' | xargs -r grep -nE \
    '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|term\.h|panel\.h)')
check "curses is included only under src/tui" "$out"

out=$(c_files src/core | xargs -r grep -nE \
    '#[[:space:]]*include[[:space:]]*[<"](libintl|gettext)\.h|(^|[^A-Za-z0-9_])(d|dc|n|dn|dcn)?gettext[[:space:]]*\(|(^|[^A-Za-z0-9_])_\(')
check "src/core calls no gettext and uses no _()" "$out"

for rule in "openssl/ src/core/crypto.c" "curl/ src/core/http.c" \
    "cjson/ src/core/json.c" "expat src/core/xml.c"; do
	set -- $rule
	out=$(c_files src | grep -vx "$2" | xargs -r grep -nE \
	    "#[[:space:]]*include[[:space:]]*<$1")
	check "only $2 includes <$1...>" "$out"
done

out=$(c_files src | xargs -r grep -nE \
    'CURLOPT_(PROXY_)?SSL_VERIFY(PEER|HOST|STATUS)|CURLSSLOPT_NO_REVOKE|CURLSSLOPT_ALLOW_BEAST|SSL_VERIFY_NONE|CURLOPT_SSL_CTX_FUNCTION' |
    grep -vE 'CURLOPT_SSL_VERIFYPEER, 1L\);$|CURLOPT_SSL_VERIFYHOST, 2L\);$')
check "TLS verification cannot be turned off (VERIFYPEER 1L, VERIFYHOST 2L)" \
    "$out"
n_verify=$(c_files src | xargs -r grep -cE \
    'CURLOPT_SSL_VERIFYPEER, 1L\);$|CURLOPT_SSL_VERIFYHOST, 2L\);$' |
    awk -F: '{ s += $NF } END { print s + 0 }')
check "http.c sets VERIFYPEER and VERIFYHOST on every transfer" \
    "$([ "$n_verify" -ge 2 ] || echo "found $n_verify of the 2 settings")"

out=""
for f in $(grep -rlE '(^|[^A-Za-z0-9_])N?_\("' src --include='*.c' | sort); do
	grep -qx "$f" po/POTFILES.in || out="$out$f is not in po/POTFILES.in
"
done
check "every file with _() or N_() text is in po/POTFILES.in" "${out%
}"

out=""
for f in $(grep -v '^#' po/POTFILES.in); do
	[ -f "$f" ] || out="$out$f is listed but does not exist
"
done
check "po/POTFILES.in lists only files that exist" "${out%
}"

echo "1..$n"
exit $failed
