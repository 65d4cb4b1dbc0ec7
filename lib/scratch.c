/* The run's own directory for job files (see scratch.h). */
#include "config.h"

#include "scratch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

int
scratch_make(const char *parent, char **dir)
{
	struct buf path = BUF_INIT;
	char *abs;
	int saved;

	*dir = NULL;
	if (buf_printf(&path, "%s/pmapf-XXXXXX", parent) == -1)
		return -1;
	if (mkdtemp(path.data) == NULL) {
		saved = errno;
		buf_free(&path);
		errno = saved;
		return -1;
	}
	/* Absolute: the guardian works from /. */
	if ((abs = realpath(path.data, NULL)) == NULL) {
		saved = errno;
		(void)rmdir(path.data);
		buf_free(&path);
		errno = saved;
		return -1;
	}
	buf_free(&path);
	*dir = abs;
	return 0;
}

void
scratch_remove(const char *dir)
{
	int saved = errno, fd;
	struct dirent *e;
	DIR *d;

	if (dir == NULL)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd != -1 && (d = fdopendir(fd)) != NULL) {
		/* Only names pmapf gives: whatever else a job left there
		 * stays, and so does the directory. */
		while ((e = readdir(d)) != NULL)
			if (strncmp(e->d_name, "pmapf-", 6) == 0)
				(void)unlinkat(dirfd(d), e->d_name, 0);
		(void)closedir(d);
	} else if (fd != -1) {
		(void)close(fd);
	}
	(void)rmdir(dir);
	errno = saved;
}
