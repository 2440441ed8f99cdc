/*
 * atomicfile.h: write a whole file so that readers see either the old
 * file or the new one, never a part, and a failure leaves the old one
 * as it was.
 *
 * The data goes to a temporary file in the target's folder (so the final
 * rename stays on one file system), is flushed to disk (fsync), given its
 * mode, and then renamed over the target.  Without force an existing
 * target is refused, atomically: the temporary file is moved in with
 * renameat2(RENAME_NOREPLACE), or link() where the file system lacks it,
 * and both fail with EEXIST instead of replacing a file that appeared
 * after any check.  A target that is a symbolic link is never followed
 * and never replaced: it is refused, even with force.
 */
#ifndef BS_ATOMICFILE_H
#define BS_ATOMICFILE_H

#include <stddef.h>
#include <sys/types.h>

struct err;

/*
 * Write len bytes of data to path with the given mode (e.g. 0644; the
 * umask does not apply).  Returns 0, or -1 with err set (ERR_IO; the
 * message names the path, the system's reason and what to do, and
 * err->where holds the path).  On failure no temporary file is left and
 * an existing file at path is unchanged.
 */
int	 atomicfile_write(const char *path, const void *data, size_t len,
	     mode_t mode, int force, struct err *);

#endif
