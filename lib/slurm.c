/* --slurm: jobs as steps of the allocation pmapf runs in (see slurm.h). */
#include "config.h"

#include "slurm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "msg.h"
#include "shquote.h"

#define NAMES_MAX 1000000u

struct names {
	char **v;
	size_t n, cap;
};

static int
names_add(struct names *o, const char *s, size_t len)
{
	char **v;

	if (o->n >= NAMES_MAX)
		return errno = EINVAL, -1;
	if (o->n + 2 > o->cap) {
		size_t k = o->cap > 0 ? o->cap * 2 : 16;

		if ((v = realloc(o->v, k * sizeof *v)) == NULL)
			return -1;
		o->v = v;
		o->cap = k;
	}
	v = o->v;
	if ((v[o->n] = strndup(s, len)) == NULL)
		return -1;
	v[++o->n] = NULL;
	return 0;
}

/* A decimal number of at most 9 digits at *p (advanced): its value, or
 * -1. */
static long
number(const char **p, size_t *digits)
{
	long v = 0;

	*digits = 0;
	while (**p >= '0' && **p <= '9') {
		if (++*digits > 9)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return *digits > 0 ? v : -1;
}

static int expand(const char *item, size_t len, const char *head,
                  size_t headlen, struct names *out);

/* One bracket's ranges ("01-03,7", up to ']') between head and the rest
 * of the item after the bracket. */
static int
expand_ranges(const char *r, const char *rest, size_t restlen, const char *head,
              size_t headlen, struct names *out)
{
	char *buf = malloc(headlen + 16);
	int ret = -1;

	if (buf == NULL)
		return -1;
	memcpy(buf, head, headlen);
	for (;;) {
		size_t wd, wd2;
		long lo = number(&r, &wd), hi = lo, v;

		if (*r == '-') {
			r++;
			hi = number(&r, &wd2);
		}
		/* (A range past the limit is refused before any name.) */
		if (lo < 0 || hi < lo || hi - lo >= (long)NAMES_MAX ||
		    (*r != ',' && *r != ']')) {
			errno = EINVAL;
			goto done;
		}
		for (v = lo; v <= hi; v++) {
			/* Zero-padded to the low bound's width, as Slurm. */
			int k =
			    snprintf(buf + headlen, 16, "%0*ld", (int)wd, v);

			if (expand(rest, restlen, buf, headlen + (size_t)k,
			           out) == -1)
				goto done;
		}
		if (*r++ == ']')
			break;
	}
	ret = 0;
done:
	free(buf);
	return ret;
}

/* Every name item (len bytes, maybe with brackets) stands for, each after
 * head, into out. */
static int
expand(const char *item, size_t len, const char *head, size_t headlen,
       struct names *out)
{
	const char *open = memchr(item, '[', len), *close;
	char *joined;
	int r;

	if (open == NULL) {
		if (memchr(item, ']', len) != NULL)
			return errno = EINVAL, -1;
		if ((joined = malloc(headlen + len + 1)) == NULL)
			return -1;
		memcpy(joined, head, headlen);
		memcpy(joined + headlen, item, len);
		r = names_add(out, joined, headlen + len);
		free(joined);
		return r;
	}
	close = memchr(open, ']', len - (size_t)(open - item));
	if (close == NULL)
		return errno = EINVAL, -1;
	if ((joined = malloc(headlen + (size_t)(open - item) + 1)) == NULL)
		return -1;
	memcpy(joined, head, headlen);
	memcpy(joined + headlen, item, (size_t)(open - item));
	r = expand_ranges(open + 1, close + 1, len - (size_t)(close + 1 - item),
	                  joined, headlen + (size_t)(open - item), out);
	free(joined);
	return r;
}

int
slurm_hostlist(const char *list, char ***names, size_t *n)
{
	struct names out = {NULL, 0, 0};
	const char *p = list;

	while (*p != '\0') {
		size_t len = 0;
		int depth = 0;

		/* An item ends at a comma outside brackets. */
		while (p[len] != '\0' && (p[len] != ',' || depth > 0)) {
			depth += p[len] == '[' ? 1 : p[len] == ']' ? -1 : 0;
			len++;
		}
		if (len > 0 && expand(p, len, "", 0, &out) == -1) {
			int e = errno;

			words_free(out.v);
			errno = e;
			return -1;
		}
		p += len + (p[len] == ',');
	}
	if (out.n == 0)
		return errno = EINVAL, -1;
	*names = out.v;
	*n = out.n;
	return 0;
}

int
slurm_counts(const char *spec, unsigned *out, size_t n)
{
	const char *p = spec;
	size_t at = 0, d;

	while (*p != '\0') {
		long c = number(&p, &d), times = 1;

		if (c < 0)
			return errno = EINVAL, -1;
		if (p[0] == '(' && p[1] == 'x') {
			p += 2;
			times = number(&p, &d);
			if (times < 1 || *p++ != ')')
				return errno = EINVAL, -1;
		}
		while (times-- > 0) {
			if (at == n)
				return errno = EINVAL, -1;
			out[at++] = (unsigned)c;
		}
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return errno = EINVAL, -1;
	}
	return at == n ? 0 : (errno = EINVAL, -1);
}

static const char not_inside[] =
    "not inside a Slurm allocation (SLURM_JOB_ID is not set): run pmapf "
    "in one, as in  salloc -n 8 pmapf --slurm ...  or from an sbatch "
    "script";

static int read_alloc(struct slurm_alloc *a,
                      const char *(*get)(const char *name),
                      unsigned cpus_per_task, char *err, size_t errlen);

int
slurm_alloc_read(struct slurm_alloc *a, const char *(*get)(const char *name),
                 unsigned cpus_per_task, char *err, size_t errlen)
{
	int e;

	if (read_alloc(a, get, cpus_per_task, err, errlen) == 0)
		return 0;
	e = errno;
	slurm_alloc_free(a);
	errno = e;
	return -1;
}

static int
read_alloc(struct slurm_alloc *a, const char *(*get)(const char *name),
           unsigned cpus_per_task, char *err, size_t errlen)
{
	const char *id = get("SLURM_JOB_ID"), *list = get("SLURM_JOB_NODELIST");
	const char *ntasks = get("SLURM_NTASKS");
	const char *per = get("SLURM_TASKS_PER_NODE"), *cpt = NULL;
	const char *what = "SLURM_TASKS_PER_NODE";
	size_t i;
	bool by_cpus;

	memset(a, 0, sizeof *a);
	err[0] = '\0';
	if (id == NULL || *id == '\0') {
		snprintf(err, errlen, "%s", not_inside);
		return errno = EINVAL, -1;
	}
	if (list == NULL || *list == '\0')
		list = get("SLURM_NODELIST");
	if (list == NULL || slurm_hostlist(list, &a->nodes, &a->n) == -1) {
		if (list != NULL && errno == ENOMEM)
			return -1;
		snprintf(err, errlen,
		         "SLURM_JOB_NODELIST is %s: not a Slurm hostlist",
		         list == NULL ? "not set" : list);
		return errno = EINVAL, -1;
	}
	if ((a->task = calloc(a->n, sizeof *a->task)) == NULL)
		return -1;
	/* CPUs divided by CPUs per task when those are asked, or no task
	 * count was: as srun derives its task count. */
	by_cpus = cpus_per_task > 0 || ntasks == NULL || per == NULL;
	if (by_cpus) {
		what = "SLURM_JOB_CPUS_PER_NODE";
		per = get(what);
		if (cpus_per_task == 0 &&
		    (cpt = get("SLURM_CPUS_PER_TASK")) != NULL)
			cpus_per_task = (unsigned)strtoul(cpt, NULL, 10);
		if (cpus_per_task == 0)
			cpus_per_task = 1;
	}
	if (per == NULL || slurm_counts(per, a->task, a->n) == -1) {
		snprintf(err, errlen,
		         "%s is %s%s%s: not a count per node of %s", what,
		         per == NULL ? "" : "'", per == NULL ? "not set" : per,
		         per == NULL ? "" : "'", list);
		return errno = EINVAL, -1;
	}
	if (by_cpus && cpt == NULL) {
		unsigned most = 0;

		for (i = 0; i < a->n; i++)
			most = a->task[i] > most ? a->task[i] : most;
		if (cpus_per_task > most) {
			snprintf(err, errlen,
			         "--cpus-per-task %u: more CPUs than a node of "
			         "the allocation has (%u at most)",
			         cpus_per_task, most);
			return errno = EINVAL, -1;
		}
	}
	for (i = 0; i < a->n; i++) {
		if (by_cpus)
			a->task[i] /= cpus_per_task;
		if (a->task[i] == 0)
			a->task[i] = 1;
		if (a->total + a->task[i] > NAMES_MAX) {
			snprintf(err, errlen, "%s: more than %u tasks", what,
			         NAMES_MAX);
			return errno = EINVAL, -1;
		}
		a->total += a->task[i];
	}
	return 0;
}

void
slurm_alloc_free(struct slurm_alloc *a)
{
	words_free(a->nodes);
	free(a->task);
	memset(a, 0, sizeof *a);
}

unsigned *
slurm_lay(const struct slurm_alloc *a, unsigned slots)
{
	unsigned *node_of = calloc((size_t)slots + 1, sizeof *node_of);
	unsigned *left = calloc(a->n, sizeof *left), k = 0;
	size_t i;

	if (node_of == NULL || left == NULL) {
		free(node_of);
		free(left);
		return NULL;
	}
	while (k < slots) {
		bool any = false;

		for (i = 0; i < a->n && k < slots; i++)
			if (left[i] > 0) {
				node_of[++k] = (unsigned)i;
				left[i]--;
				any = true;
			}
		if (!any)
			memcpy(left, a->task, a->n * sizeof *left);
	}
	free(left);
	return node_of;
}

static const char *
env_get(const char *name)
{
	return getenv(name);
}

int
slurm_tasks_here(unsigned cpus_per_task, unsigned *tasks, char *err,
                 size_t errlen)
{
	struct slurm_alloc a;

	if (slurm_alloc_read(&a, env_get, cpus_per_task, err, errlen) == -1)
		return -1;
	*tasks = a.total;
	slurm_alloc_free(&a);
	return 0;
}

int
slurm_open(struct slurm *s, const char *srun_cmd, unsigned cpus_per_task,
           unsigned slots)
{
	char err[512];
	size_t i;
	int e;

	memset(s, 0, sizeof *s);
	if (slurm_alloc_read(&s->alloc, env_get, cpus_per_task, err,
	                     sizeof err) == -1) {
		if (err[0] != '\0')
			msg_warn("--slurm: %s", err);
		else
			msg_warn("out of memory");
		return -1;
	}
	if (words_split(srun_cmd != NULL ? srun_cmd : "srun", &s->words,
	                &s->nwords) == -1) {
		msg_warn(errno == EINVAL ? "--srun: no command given"
		                         : "out of memory");
		return -1;
	}
	if ((e = child_resolve(s->words[0], &s->path)) != 0) {
		msg_warn("--slurm: cannot run '%s': %s", s->words[0],
		         msg_run_error(e));
		return -1;
	}
	if (cpus_per_task > 0)
		snprintf(s->cpus, sizeof s->cpus, "--cpus-per-task=%u",
		         cpus_per_task);
	s->nslots = slots > 0 ? slots : s->alloc.total;
	s->node_of = slurm_lay(&s->alloc, s->nslots);
	s->nodes.v = calloc(s->alloc.n, sizeof *s->nodes.v);
	s->view = calloc(s->alloc.n, sizeof *s->view);
	if (s->node_of == NULL || s->nodes.v == NULL || s->view == NULL) {
		msg_warn("out of memory");
		return -1;
	}
	for (i = 0; i < s->alloc.n; i++) {
		struct sshlogin *h = &s->nodes.v[s->nodes.n++];

		h->name = strdup(s->alloc.nodes[i]);
		h->host = strdup(s->alloc.nodes[i]);
		if (h->name == NULL || h->host == NULL) {
			msg_warn("out of memory");
			return -1;
		}
		s->view[i].name = h->name;
	}
	return 0;
}

void
slurm_close(struct slurm *s)
{
	slurm_alloc_free(&s->alloc);
	sshlogins_free(&s->nodes);
	words_free(s->words);
	free(s->node_of);
	free(s->path);
	free(s->argv);
	free(s->view);
	memset(s, 0, sizeof *s);
}

const struct sshlogin *
slurm_node(const struct slurm *s, unsigned k)
{
	return k >= 1 && k <= s->nslots ? &s->nodes.v[s->node_of[k]] : NULL;
}

char *const *
slurm_argv(struct slurm *s, unsigned k, char *const *cmd)
{
	static const char *const step[] = {"--exclusive", "-N1", "-n1", "-Q"};
	const struct sshlogin *node = slurm_node(s, k);
	size_t ncmd = 0, need, n = 0, i;

	while (cmd[ncmd] != NULL)
		ncmd++;
	need = s->nwords + 4 + 1 + 2 + 1 + ncmd + 1;
	if (need > s->argv_room) {
		char **v = realloc(s->argv, need * sizeof *v);

		if (v == NULL)
			return NULL;
		s->argv = v;
		s->argv_room = need;
	}
	for (i = 0; i < s->nwords; i++)
		s->argv[n++] = s->words[i];
	for (i = 0; i < 4; i++)
		s->argv[n++] = (char *)step[i];
	if (s->cpus[0] != '\0')
		s->argv[n++] = s->cpus;
	if (node != NULL) {
		s->argv[n++] = (char *)"-w";
		s->argv[n++] = node->host;
	}
	s->argv[n++] = (char *)"--";
	for (i = 0; i < ncmd; i++)
		s->argv[n++] = cmd[i];
	s->argv[n] = NULL;
	return s->argv;
}
