/* The local script of a remote job with files (see transfer.h). */
#include "config.h"

#include "transfer.h"

#include <string.h>

#include "remote.h"
#include "shquote.h"

/* A word for the local /bin/sh (shquote: quoted where it needs it). */
static int
sh_word(struct buf *b, const char *w)
{
	return shquote(b, w, strlen(w));
}

static int
sh_words(struct buf *b, char *const *v)
{
	for (size_t i = 0; v[i] != NULL; i++)
		if ((i > 0 && buf_appendc(b, ' ') == -1) ||
		    sh_word(b, v[i]) == -1)
			return -1;
	return 0;
}

/* "host:DIR": the login dir for "", else DIR/ (relative to it, or
 * absolute). */
static int
remote_dir(struct buf *b, const char *host, const char *dir)
{
	if (buf_appends(b, host) == -1 || buf_appendc(b, ':') == -1 ||
	    buf_appends(b, dir) == -1)
		return -1;
	return *dir != '\0' && dir[strlen(dir) - 1] != '/' ? buf_appendc(b, '/')
	                                                   : 0;
}

/* Where a file of the job is on the host (GNU parallel's mapping):
 * after a /./ or relative, under workdir; absolute, itself. */
static int
remote_path(struct buf *b, const char *workdir, const char *f)
{
	const char *dot = strstr(f, "/./");

	if (dot == NULL && f[0] == '/')
		return buf_appends(b, f);
	if (*workdir != '\0' && (buf_appends(b, workdir) == -1 ||
	                         (workdir[strlen(workdir) - 1] != '/' &&
	                          buf_appendc(b, '/') == -1)))
		return -1;
	return buf_appends(b, dot != NULL ? dot + 3 : f);
}

/* The removal of one file of the job (dirs false), or then of its
 * emptied directories below the work dir (dirs true), as GNU parallel's
 * --cleanup; never above it, nor for an absolute path. */
static int
rm_one(struct buf *out, const char *workdir, const char *f, bool dirs)
{
	struct buf p = BUF_INIT;
	const char *dot = strstr(f, "/./"), *rel = dot != NULL ? dot + 3 : f;
	const char *slash = strrchr(rel, '/');
	int r = 0;

	if (!dirs &&
	    (remote_path(&p, workdir, f) == -1 || buf_appendc(&p, '\0') == -1 ||
	     buf_appends(out, "rm -f -- ") == -1 ||
	     remote_quote(out, p.data) == -1 || buf_appendc(out, ';') == -1))
		r = -1;
	if (dirs && (dot != NULL || f[0] != '/') && slash != NULL &&
	    (buf_append(&p, rel, (size_t)(slash - rel)) == -1 ||
	     buf_appendc(&p, '\0') == -1 || buf_appends(out, "(cd -- ") == -1 ||
	     remote_quote(out, *workdir != '\0' ? workdir : ".") == -1 ||
	     buf_appends(out, " && rmdir -p -- ") == -1 ||
	     remote_quote(out, p.data) == -1 ||
	     buf_appends(out, ") 2>/dev/null;") == -1))
		r = -1;
	buf_free(&p);
	return r;
}

int
transfer_rm_script(struct buf *out, const char *workdir, char *const *send,
                   char *const *back, bool rm_workdir)
{
	char *const *lists[2] = {send, back};
	size_t i;
	int k;

	if (buf_appends(out, REMOTE_SET_NL) == -1)
		return -1;
	/* Files first: a directory empties only once all its files are
	 * gone. */
	for (int dirs = 0; dirs < 2; dirs++)
		for (k = 0; k < 2; k++)
			for (i = 0; lists[k] != NULL && lists[k][i] != NULL;
			     i++)
				if (rm_one(out, workdir, lists[k][i], dirs) ==
				    -1)
					return -1;
	if (rm_workdir && *workdir != '\0' &&
	    (buf_appends(out, "rm -rf -- ") == -1 ||
	     remote_quote(out, workdir) == -1 || buf_appendc(out, ';') == -1))
		return -1;
	return buf_appends(out, "exit 0");
}

/* rsync's -e: the ssh words, each in double quotes if it holds a blank
 * (rsync splits the string itself). */
static int
rsync_e(struct buf *b, char *const *ssh)
{
	for (size_t i = 0; ssh[i] != NULL; i++) {
		bool q = strpbrk(ssh[i], " \t") != NULL;

		if ((i > 0 && buf_appendc(b, ' ') == -1) ||
		    (q && buf_appendc(b, '"') == -1) ||
		    buf_appends(b, ssh[i]) == -1 ||
		    (q && buf_appendc(b, '"') == -1))
			return -1;
	}
	return 0;
}

/* Run the one-line script line on the host, through ssh and the
 * bootstrap, its output dropped. */
static int
rm_call(struct buf *out, const struct transfer_job *t, const char *line)
{
	return buf_appends(out, "printf '%s\\n' ") == -1 ||
	               sh_word(out, line) == -1 ||
	               buf_appends(out, " | ") == -1 ||
	               sh_words(out, t->ssh) == -1 ||
	               buf_appendc(out, ' ') == -1 ||
	               sh_word(out, t->host) == -1 ||
	               buf_appendc(out, ' ') == -1 ||
	               sh_word(out, t->bootstrap) == -1 ||
	               buf_appends(out, " >/dev/null 2>&1\n") == -1
	           ? -1
	           : 0;
}

int
transfer_remove(struct buf *out, const struct transfer_job *t,
                char *const *files)
{
	struct buf rm = BUF_INIT;
	int r = transfer_rm_script(&rm, t->workdir, files, NULL, false) == -1 ||
	                buf_appendc(&rm, '\0') == -1 ||
	                rm_call(out, t, rm.data) == -1
	            ? -1
	            : 0;

	buf_free(&rm);
	return r;
}

/* rsync -rlDzR: recursive, links, devices, compressed, the path kept;
 * -s: paths not split by the remote shell; --mkpath: the work dir made. */
#define RSYNC "rsync -rlDzRs --mkpath -e \"$e\" -- "

int
transfer_script(struct buf *out, const struct transfer_job *t)
{
	struct buf w = BUF_INIT, rm = BUF_INIT;
	size_t i;
	int r = 0;

	if (rsync_e(&w, t->ssh) == -1 || buf_appendc(&w, '\0') == -1 ||
	    buf_appends(out, "e=") == -1 || sh_word(out, w.data) == -1 ||
	    buf_appends(out, "\nh=") == -1 || sh_word(out, t->host) == -1 ||
	    buf_appendc(out, '\n') == -1)
		r = -1;
	for (i = 0; r == 0 && t->send != NULL && t->send[i] != NULL; i++) {
		const char *f = t->send[i];

		buf_reset(&w);
		if (remote_dir(&w, t->host,
		               f[0] == '/' && strstr(f, "/./") == NULL
		                   ? "/"
		                   : t->workdir) == -1 ||
		    buf_appendc(&w, '\0') == -1 ||
		    buf_appends(out, RSYNC) == -1 || sh_word(out, f) == -1 ||
		    buf_appendc(out, ' ') == -1 || sh_word(out, w.data) == -1 ||
		    buf_appends(out,
		                " </dev/null || { s=$?; echo \"pmapf: cannot "
		                "send \"") == -1 ||
		    sh_word(out, f) == -1 ||
		    buf_appends(out,
		                "\" to $h (rsync's status $s; is rsync "
		                "installed there?)\" >&2; exit 255; }\n") == -1)
			r = -1;
	}
	if (r == 0 && t->job == NULL && buf_appends(out, "s=0\n") == -1)
		r = -1;
	if (r == 0 && t->job != NULL &&
	    (sh_words(out, t->job) == -1 || buf_appends(out, "\ns=$?\n") == -1))
		r = -1;
	for (i = 0; r == 0 && t->back != NULL && t->back[i] != NULL; i++) {
		const char *f = t->back[i];

		buf_reset(&w);
		if (buf_appends(&w, t->host) == -1 ||
		    buf_appendc(&w, ':') == -1 ||
		    (f[0] != '/' && strstr(f, "/./") == NULL &&
		     (remote_path(&w, t->workdir, "") == -1 ||
		      buf_appends(&w, *t->workdir != '\0' ? "./" : "") ==
		          -1)) ||
		    (f[0] != '/' && strstr(f, "/./") != NULL &&
		     remote_path(&w, t->workdir, "") == -1) ||
		    buf_appends(&w, f) == -1 || buf_appendc(&w, '\0') == -1 ||
		    buf_appends(out, RSYNC) == -1 ||
		    sh_word(out, w.data) == -1 ||
		    buf_appends(out, f[0] == '/' ? " /" : " ./") == -1 ||
		    buf_appends(out,
		                " </dev/null || { echo \"pmapf: cannot bring "
		                "\"") == -1 ||
		    sh_word(out, f) == -1 ||
		    buf_appends(out, "\" back from $h\" >&2; [ $s -ne 0 ] || "
		                     "s=1; }\n") == -1)
			r = -1;
	}
	if (r == 0 && t->cleanup &&
	    (transfer_rm_script(&rm, t->workdir, t->send, t->back,
	                        t->rm_workdir) == -1 ||
	     buf_appendc(&rm, '\0') == -1 || rm_call(out, t, rm.data) == -1))
		r = -1;
	if (r == 0 && buf_appends(out, "exit $s\n") == -1)
		r = -1;
	buf_free(&w);
	buf_free(&rm);
	return r;
}
