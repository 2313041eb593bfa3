#ifndef PIPEDREAMER_CLIBGIT2_SHIM_H
#define PIPEDREAMER_CLIBGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/repository.h>
/* zlib (a libgit2 dependency) for reading objects without libgit2 on the hooks' fast path. */
#include <zlib.h>
#endif
