/*
 * header_test.c — compiles doge.h alone as C99 with -pedantic -Werror (see
 * tests/CMakeLists.txt) and links one call, proving the public headers are
 * self-contained and portable.
 */
#include "doge.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    if (strcmp(doge_version(), DOGE_VERSION_STRING) != 0) {
        fprintf(stderr, "version mismatch\n");
        return 1;
    }
    printf("doge.h compiles alone as C99 -pedantic; version %s\n", doge_version());
    return 0;
}
