#!/bin/sh
# tests/scripts/install.sh — `cmake --install` into a temporary prefix, then
# builds and runs a small C program against the installed libdoge through
# pkg-config (doge.pc), both shared and static, proving another program can
# use the installed headers and library.
set -eu
B=${DOGE_BINARY_DIR:?}
P=$(mktemp -d "${TMPDIR:-/tmp}/doge-install.XXXXXX")
trap 'rm -rf "$P"' EXIT
cmake --install "$B" --prefix "$P" >/dev/null
export PKG_CONFIG_PATH="$P/lib/pkgconfig:$P/lib/x86_64-linux-gnu/pkgconfig:$P/lib64/pkgconfig"
test -f "$P/include/doge.h" && test -f "$P/include/doge/ledger.h"
test -x "$P/bin/doge"
cat > "$P/app.c" <<'C'
#include <doge.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    uint8_t h[32];
    doge_merkle_leaf_hash("", 0, h);
    /* RFC 6962: the leaf hash of the empty entry. */
    static const uint8_t want[4] = {0x6e, 0x34, 0x0b, 0x9c};
    if (memcmp(h, want, 4) != 0)
        return 1;
    printf("linked libdoge %s\n", doge_version());
    return 0;
}
C
# A sanitizer build installs an instrumented library: link the app the same way.
CC_APP="cc"
[ "${DOGE_SANITIZED:-}" = 1 ] && CC_APP="clang -fsanitize=address,undefined"
$CC_APP -std=c11 -o "$P/app" "$P/app.c" $(pkg-config --cflags --libs doge)
LD_LIBRARY_PATH=$(pkg-config --variable=libdir doge) "$P/app" | grep -q "linked libdoge"
# The static archive with its dependencies' shared libraries (Requires.private).
$CC_APP -std=c11 -o "$P/app_static" "$P/app.c" $(pkg-config --cflags doge) \
    "$(pkg-config --variable=libdir doge)/libdoge.a" \
    $(pkg-config --libs $(pkg-config --print-requires-private doge)) -lpthread -lm
"$P/app_static" | grep -q "linked libdoge"
"$P/bin/doge" --version | grep -q "doge "
echo "1 passed, 0 failed"
