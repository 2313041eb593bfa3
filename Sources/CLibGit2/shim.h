#ifndef PIPEDREAMER_CLIBGIT2_SHIM_H
#define PIPEDREAMER_CLIBGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/repository.h>
/* zlib: to read the start of a packed blob without inflating it whole (libgit2 links it too). */
#include <zlib.h>
#endif
