#ifndef PIPEDREAMER_CLIBGIT2_SHIM_H
#define PIPEDREAMER_CLIBGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/repository.h>
/* zlib (libgit2 links it too): the start of a packed blob without inflating it whole, and
   the hooks' fast path that reads objects before libgit2 starts. */
#include <zlib.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option used. */
static inline int pipedreamer_git_set_extensions(const char **extensions, size_t count) {
    return git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions, count);
}
static inline int pipedreamer_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
#endif
