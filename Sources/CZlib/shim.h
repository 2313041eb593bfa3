#ifndef PIPEDREAMER_CZLIB_SHIM_H
#define PIPEDREAMER_CZLIB_SHIM_H
/* zlib (Debian: zlib1g-dev, which libgit2-dev depends on): git's object streams, read by
   GitFiles without libgit2. */
#include <zlib.h>
#endif
