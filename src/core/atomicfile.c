/*
 * atomicfile.c: write a file all at once or not at all (see atomicfile.h).
 *
 * Why not open(O_CREAT|O_EXCL) on the target itself: that is race-safe
 * too, but readers could see a half-written file and a failed write
 * would leave one behind.  The temporary file plus an atomic
 * no-replace rename gives both properties.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "xalloc.h"

/* Longest target name that still fits ".NAME.XXXXXX" in NAME_MAX. */
#define BASE_MAX	200

/* Set err for a failed step on path, with the fix that suits errno. */
static void
fail(struct err *e, const char *path, int errnum)
{
	const char	*why = strerror(errnum);

	switch (errnum) {
	case EEXIST:
		err_set(e, ERR_IO, N_("%s already exists: use --force to "
		    "replace it, or choose another name"), path);
		break;
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		err_set(e, ERR_IO, N_("could not write %s: %s.  The disk is "
		    "full (or the file is over a size limit): free some space "
		    "or choose another folder"), path, why);
		break;
	case EACCES:
	case EPERM:
	case EROFS:
	case ENOTDIR:
	case ENOENT:
	case ELOOP:
	case ENAMETOOLONG:
		err_set(e, ERR_IO, N_("cannot write %s: %s.  Choose another "
		    "folder, one that exists and that you can write to"), path,
		    why);
		break;
	default:
		err_set(e, ERR_IO, N_("could not write %s: %s.  Choose "
		    "another folder"), path, why);
		break;
	}
	err_where(e, "%s", path);
}

/* Refuse targets that are not plain files, and existing ones unless force. */
static int
check_target(const char *path, int force, struct err *e)
{
	struct stat	 st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		fail(e, path, errno);
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		err_set(e, ERR_IO, N_("%s is a symbolic link; it is neither "
		    "followed nor replaced: write to the file it points to, "
		    "or remove the link first"), path);
	else if (S_ISDIR(st.st_mode))
		err_set(e, ERR_IO, N_("%s is a folder: give a file name"),
		    path);
	else if (!S_ISREG(st.st_mode))
		err_set(e, ERR_IO, N_("%s is not a regular file: choose "
		    "another name"), path);
	else if (!force) {
		fail(e, path, EEXIST);
		return -1;
	} else
		return 0;
	err_where(e, "%s", path);
	return -1;
}

/* "<dir>/.<base>.XXXXXX" for mkostemp. */
static char *
temp_template(const char *path)
{
	const char	*slash = strrchr(path, '/');
	const char	*base = slash != NULL ? slash + 1 : path;
	struct buf	 b;

	buf_init(&b, 0);
	if (slash != NULL)
		buf_add(&b, path, (size_t)(base - path));
	if (strlen(base) <= BASE_MAX)
		buf_printf(&b, ".%s.XXXXXX", base);
	else
		buf_addstr(&b, ".bedrock-setup.XXXXXX");
	return buf_take(&b, NULL);
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Move tmp to path without replacing anything there. */
static int
rename_noreplace(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* Older kernels and some file systems: link() is atomic too. */
	if (link(tmp, path) != 0)
		return -1;
	unlink(tmp);
	return 0;
}

/* Make the rename itself durable; a failure here loses nothing. */
static void
sync_folder(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;
	int		 fd;

	dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(slash - path));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int
atomicfile_write(const char *path, const void *data, size_t len,
    mode_t mode, int force, struct err *e)
{
	char	*tmp;
	int	 fd, saved;

	if (path == NULL || *path == '\0') {
		err_set(e, ERR_IO, N_("no file name given"));
		return -1;
	}
	if (path[strlen(path) - 1] == '/') {
		err_set(e, ERR_IO, N_("%s is a folder: give a file name"),
		    path);
		err_where(e, "%s", path);
		return -1;
	}
	if (check_target(path, force, e) != 0)
		return -1;
	tmp = temp_template(path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		fail(e, path, errno);
		free(tmp);
		return -1;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0 ||
	    fchmod(fd, mode) != 0) {
		saved = errno;
		close(fd);
		goto failed;
	}
	if (close(fd) != 0) {
		saved = errno;
		goto failed;
	}
	if ((force ? rename(tmp, path) : rename_noreplace(tmp, path)) != 0) {
		saved = errno;
		goto failed;
	}
	sync_folder(path);
	free(tmp);
	return 0;

failed:
	unlink(tmp);
	free(tmp);
	fail(e, path, saved);
	return -1;
}
