#ifndef PIPEDREAMER_CLIBGIT2_SHIM_H
#define PIPEDREAMER_CLIBGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/repository.h>
/* zlib (libgit2 links it too): the start of a packed blob without inflating it whole, and
   the hooks' fast path that reads objects before libgit2 starts. */
#include <zlib.h>
#endif
