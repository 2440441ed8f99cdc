/*
 * test_atomicfile.c: writing a file all at once or not at all.
 *
 * Every case runs in a fresh folder under $TMPDIR (or /tmp) and ends by
 * scanning it for temporary files left behind.  Failures that need the
 * system to refuse are made without privileges tricks where possible:
 *  - a folder that cannot be written: as root (tests run as root here,
 *    and root ignores permission bits) a forked child drops to uid 65534
 *    before writing into a 0555 folder; as anyone else the child just
 *    writes there.  A path below a regular file (ENOTDIR) needs neither.
 *  - a full disk: a forked child lowers RLIMIT_FSIZE and ignores SIGXFSZ,
 *    so its write() fails with EFBIG as it would with ENOSPC.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomicfile.h"
#include "err.h"
#include "tap.h"

#define OLD	"old content\n"
#define NEW	"new content, longer than the old one\n"

static char	 dir[512];

static void
path_of(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static char *
slurp(const char *path)
{
	static char	 data[65536];
	int		 fd = open(path, O_RDONLY);
	ssize_t		 n;

	if (fd < 0)
		return NULL;
	n = read(fd, data, sizeof data - 1);
	close(fd);
	if (n < 0)
		return NULL;
	data[n] = '\0';
	return data;
}

static void
put(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* How many names in the folder start with '.' (temporary files). */
static int
leftovers(void)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	int		 n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			printf("#   left behind: %s\n", de->d_name);
			n++;
		}
	closedir(d);
	return n;
}

static void
test_create_and_replace(void)
{
	char		 p[600];
	struct stat	 st;
	struct err	 e;
	mode_t		 old = umask(077);

	path_of(p, sizeof p, "policy.json");
	err_clear(&e);
	ok(atomicfile_write(p, NEW, strlen(NEW), 0644, 0, &e) == 0,
	    "a new file is written");
	is_str(slurp(p), NEW, "with the whole content");
	ok(stat(p, &st) == 0 && (st.st_mode & 07777) == 0644,
	    "mode 0644 whatever the umask");
	umask(old);

	put(p, OLD);
	err_clear(&e);
	ok(atomicfile_write(p, NEW, strlen(NEW), 0644, 0, &e) == -1,
	    "an existing file is refused without force");
	is_int(e.kind, ERR_IO, "ERR_IO");
	ok(strstr(e.message, p) != NULL && strstr(e.message, "exists") !=
	    NULL && strstr(e.message, "--force") != NULL,
	    "the error names the file and says to use --force");
	is_str(e.where, p, "where is the path");
	is_str(slurp(p), OLD, "the old content is intact");

	err_clear(&e);
	ok(atomicfile_write(p, NEW, strlen(NEW), 0644, 1, &e) == 0,
	    "with force it is replaced");
	is_str(slurp(p), NEW, "with the new content");

	err_clear(&e);
	ok(atomicfile_write(p, "", 0, 0600, 1, &e) == 0 &&
	    stat(p, &st) == 0 && st.st_size == 0 &&
	    (st.st_mode & 07777) == 0600, "an empty file, another mode");
	is_int(leftovers(), 0, "no temporary file left");
	unlink(p);
}

static void
test_refused_targets(void)
{
	char		 p[700], t[600], lnk[600], sub[600];
	struct stat	 st;
	struct err	 e;

	path_of(t, sizeof t, "target");
	path_of(lnk, sizeof lnk, "link");
	put(t, OLD);
	if (symlink("target", lnk) != 0)
		printf("#   symlink: %s\n", strerror(errno));
	err_clear(&e);
	ok(atomicfile_write(lnk, NEW, strlen(NEW), 0644, 1, &e) == -1 &&
	    strstr(e.message, "symbolic link") != NULL,
	    "a symbolic link is refused, even with force");
	ok(lstat(lnk, &st) == 0 && S_ISLNK(st.st_mode), "the link is still "
	    "a link");
	is_str(slurp(t), OLD, "and what it points to is unchanged");
	unlink(lnk);

	path_of(sub, sizeof sub, "folder");
	mkdir(sub, 0755);
	err_clear(&e);
	ok(atomicfile_write(sub, NEW, strlen(NEW), 0644, 1, &e) == -1 &&
	    strstr(e.message, "is a folder") != NULL, "a folder is refused");
	snprintf(p, sizeof p, "%s/", sub);
	err_clear(&e);
	ok(atomicfile_write(p, NEW, strlen(NEW), 0644, 0, &e) == -1 &&
	    strstr(e.message, "is a folder") != NULL,
	    "a path ending in / is refused");
	rmdir(sub);

	err_clear(&e);
	ok(atomicfile_write("/dev/null", NEW, strlen(NEW), 0644, 1, &e) ==
	    -1 && strstr(e.message, "not a regular file") != NULL,
	    "a device is refused");

	/* Below a regular file: ENOTDIR, for root too. */
	snprintf(p, sizeof p, "%s/x.json", t);
	err_clear(&e);
	ok(atomicfile_write(p, NEW, strlen(NEW), 0644, 0, &e) == -1 &&
	    strstr(e.message, p) != NULL && strstr(e.message, strerror(
	    ENOTDIR)) != NULL && strstr(e.message, "another folder") != NULL,
	    "a folder that is a file: the path, the cause, the fix");
	path_of(p, sizeof p, "missing/x.json");
	err_clear(&e);
	ok(atomicfile_write(p, NEW, strlen(NEW), 0644, 0, &e) == -1 &&
	    strstr(e.message, strerror(ENOENT)) != NULL &&
	    strstr(e.message, "another folder") != NULL,
	    "a folder that does not exist");
	ok(atomicfile_write("", NEW, 1, 0644, 0, &e) == -1 &&
	    atomicfile_write(NULL, NEW, 1, 0644, 0, &e) == -1,
	    "no file name");
	unlink(t);
	is_int(leftovers(), 0, "no temporary file left");
}

/* Skip n checks, saying why on stdout and stderr. */
static void
skip_n(int n, const char *reason)
{
	fprintf(stderr, "SKIP: %s\n", reason);
	while (n-- > 0)
		tap_skip(reason);
}

/*
 * Run atomicfile_write in a child set up by how; the child sends back
 * its status and message through a pipe.  Returns 0 when it ran.
 */
static int
in_child(int how, const char *p, int force, int *rc, char *msg,
    size_t msglen)
{
	int	 fds[2], status;
	pid_t	 pid;
	ssize_t	 n;

	if (pipe(fds) != 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		struct err	 e;
		char		 out[1100];
		struct rlimit	 rl = { 16, 16 };

		close(fds[0]);
		if (how == 1 && geteuid() == 0 && setuid(65534) != 0)
			_exit(77);
		if (how == 2) {
			signal(SIGXFSZ, SIG_IGN);
			if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(77);
		}
		err_clear(&e);
		snprintf(out, sizeof out, "%d %s",
		    atomicfile_write(p, NEW NEW NEW, 3 * strlen(NEW), 0644,
		    force, &e), e.message);
		if (write(fds[1], out, strlen(out)) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], msg, msglen - 1);
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || n <= 0)
		return -1;
	msg[n] = '\0';
	*rc = (int)strtol(msg, NULL, 10);
	return 0;
}

static void
test_readonly_folder(void)
{
	char	 ro[600], p[700], msg[1200];
	int	 rc = 0;

	path_of(ro, sizeof ro, "readonly");
	mkdir(ro, 0555);
	chmod(ro, 0555);
	snprintf(p, sizeof p, "%s/policy.json", ro);
	if (in_child(1, p, 0, &rc, msg, sizeof msg) != 0) {
		skip_n(3, "could not run a child without privileges");
		rmdir(ro);
		return;
	}
	is_int(rc, -1, "a folder that cannot be written is refused (%s)",
	    geteuid() == 0 ? "as uid 65534" : "as this user");
	ok(strstr(msg, p) != NULL && strstr(msg, strerror(EACCES)) != NULL,
	    "the error names the file and the cause");
	ok(strstr(msg, "another folder") != NULL, "and says to choose "
	    "another folder");
	rmdir(ro);
}

static void
test_full_disk(void)
{
	char	 p[600], msg[1200], *tmp;
	int	 rc = 0;

	path_of(p, sizeof p, "full.json");
	put(p, OLD);
	if (in_child(2, p, 1, &rc, msg, sizeof msg) != 0) {
		skip_n(4, "could not lower RLIMIT_FSIZE in a child");
		unlink(p);
		return;
	}
	is_int(rc, -1, "a write that runs out of space fails");
	ok(strstr(msg, p) != NULL && strstr(msg, strerror(EFBIG)) != NULL,
	    "the error names the file and the cause");
	ok(strstr(msg, "disk is full") != NULL, "and says the disk is full");
	tmp = slurp(p);
	is_str(tmp, OLD, "the old file is intact");
	is_int(leftovers(), 0, "no temporary file left");
	unlink(p);
}

int
main(void)
{
	const char	*base = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/bs-atomicfile-XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(dir) == NULL) {
		printf("1..0 # SKIP cannot make a folder in %s: %s\n", dir,
		    strerror(errno));
		return 0;
	}
	chmod(dir, 0755);	/* the unprivileged child must reach it */
	test_create_and_replace();
	test_refused_targets();
	test_readonly_folder();
	test_full_disk();
	is_int(leftovers(), 0, "the folder holds no temporary file");
	rmdir(dir);
	return tap_done();
}
