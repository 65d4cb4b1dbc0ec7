#include "config.h"

#include "command.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "msg.h"
#include "shquote.h"
#include "sshlogin.h"

const char *
command_name(const struct command *c)
{
	if (c->name_varies && c->argv.argv != NULL)
		return c->argv.argv[0];
	return c->o->shell ? c->sh.path : c->o->argv[0];
}

void
command_conf(const struct pmapf_opts *o, bool tag, struct template_conf *conf)
{
	memset(conf, 0, sizeof *conf);
	memcpy(conf->repl, o->repl, sizeof conf->repl);
	conf->plus = o->plus;
	conf->slots = o->jobs;
	/* A tag is one string: {} there stands for all values. */
	conf->string = tag;
	if (tag)
		return;
	conf->shell = o->shell;
	/* -N (even -N1, as GNU) and -X repeat a word holding {} per value. */
	conf->per_value =
	    o->multi == MULTI_X ||
	    (o->multi == MULTI_NONE && o->max_args > 0 && !o->max_args_n);
	conf->quote = o->quote;
	conf->raw = o->shell_lines;
}

int
command_init(struct command *c, const struct pmapf_opts *o)
{
	struct template_conf conf;

	memset(c, 0, sizeof *c);
	c->o = o;
	command_conf(o, true, &conf);
	if (o->tagstring != NULL &&
	    template_parse_with(&c->tagtmpl, 1, (char *const *)&o->tagstring,
	                        &conf, NULL) == -1) {
		msg_warn_errno("cannot parse --tagstring");
		return -1;
	}
	if (o->results != NULL &&
	    template_parse_with(&c->pathtmpl, 1, (char *const *)&o->results,
	                        &conf, NULL) == -1) {
		msg_warn_errno("cannot parse --results");
		return -1;
	}
	command_conf(o, false, &conf);
	if (o->shell) {
		shell_choose_here(&c->sh);
		if (c->sh.refused[0] != '\0')
			msg_warn("-s runs commands with /bin/sh: pmapf cannot "
			         "quote values safely for %s",
			         c->sh.refused);
		conf.shell_path = c->sh.path;
	}
	if (o->argc > 0 && !o->workers &&
	    template_parse_with(&c->tmpl, o->argc, o->argv, &conf, NULL) ==
	        -1) {
		msg_warn_errno("cannot parse the command");
		return -1;
	}
	if (o->argc > 0) {
		c->name_varies =
		    c->tmpl != NULL && !o->shell && template_varies(c->tmpl, 0);
		if (!c->name_varies)
			c->resolve_err =
			    child_resolve(command_name(c), &c->path);
		if (c->resolve_err == ENOMEM) {
			msg_warn("out of memory");
			return -1;
		}
	}
	c->recs = calloc(1, sizeof *c->recs);
	c->nrecs_cap = 1;
	if (c->recs == NULL) {
		msg_warn_errno("cannot allocate a job's values");
		return -1;
	}
	return 0;
}

void
command_free(struct command *c)
{
	free(c->recs);
	free(c->path);
	template_free(c->tmpl);
	template_free(c->tagtmpl);
	template_free(c->pathtmpl);
	template_out_free(&c->argv);
	c->recs = NULL;
	c->path = NULL;
	c->tmpl = c->tagtmpl = c->pathtmpl = NULL;
}

int
command_bind_names(struct command *c, const char *names, size_t n)
{
	c->names_bound = true;
	if (c->tmpl != NULL && template_bind_names(c->tmpl, names, n) == -1)
		return -1;
	/* {name} as the command's name: looked up per job from now. */
	if (c->tmpl != NULL && !c->o->shell && template_varies(c->tmpl, 0))
		c->name_varies = true;
	if (c->tagtmpl != NULL &&
	    template_bind_names(c->tagtmpl, names, n) == -1)
		return -1;
	if (c->pathtmpl != NULL &&
	    template_bind_names(c->pathtmpl, names, n) == -1)
		return -1;
	return 0;
}

int
command_fit(struct command *c, const struct job *j)
{
	struct template_rec *grown;

	if (j->nrec <= c->nrecs_cap)
		return 0;
	grown = realloc(c->recs, j->nrec * sizeof *grown);
	if (grown == NULL)
		return -1;
	c->recs = grown;
	c->nrecs_cap = j->nrec;
	return 0;
}

/* The values of a job, into c->recs: how many. */
static size_t
job_recs(struct command *c, const struct job *j)
{
	struct job_values it;
	size_t n = 0;

	job_values_from(j, 0, &it);
	while (n < c->nrecs_cap &&
	       job_values_next(&it, &c->recs[n].data, &c->recs[n].len))
		n++;
	return n;
}

/* A string template expanded for j in slot: several values are words,
 * joined with spaces as GNU parallel joins them. */
static int
expand_joined(struct command *c, const struct template *t, const struct job *j,
              unsigned slot, struct buf *b)
{
	struct template_out out = {BUF_INIT, NULL, 0};
	int rc;

	rc = template_expand_n(t, c->recs, c->o->no_args ? 0 : job_recs(c, j),
	                       j->seq, slot, &out);
	for (size_t i = 0; rc == 0 && out.argv[i] != NULL; i++)
		if ((i > 0 && buf_appendc(b, ' ') == -1) ||
		    buf_appends(b, out.argv[i]) == -1)
			rc = -1;
	template_out_free(&out);
	return rc;
}

/* --tag: the record (several values joined by spaces); --tagstring:
 * the string expanded for this job, slot and all. */
int
command_tag(struct command *c, struct job *j)
{
	int rc;

	buf_reset(&j->tag);
	/* -N0: the job is given no value, so its tag holds none either (as
	 * GNU parallel). */
	if (c->tagtmpl == NULL && c->o->no_args)
		return 0;
	/* --onall, --nonall: the host, as GNU parallel tags them. */
	if (c->tagtmpl == NULL && j->pin > 0)
		return buf_appends(&j->tag, c->o->logins.v[j->pin - 1].name);
	if (c->tagtmpl == NULL) {
		if (buf_append(&j->tag, j->rec.data, j->rec.len) == -1)
			return -1;
		for (size_t i = 0; i < j->tag.len; i++)
			if (j->tag.data[i] == '\0' && j->nrec > 1)
				j->tag.data[i] = ' ';
		return 0;
	}
	rc = expand_joined(c, c->tagtmpl, j, j->t.slot, &j->tag);
	if (rc == -1 && errno == EINVAL)
		rc = 0; /* a NUL record: it fails anyway, untagged */
	return rc;
}

bool
command_path_varies(const struct command *c)
{
	return c->pathtmpl != NULL && template_varies(c->pathtmpl, 0);
}

void
command_set_host(struct command *c, const struct sshlogin *l)
{
	struct template *t[3] = {c->tmpl, c->tagtmpl, c->pathtmpl};

	for (int i = 0; i < 3; i++)
		if (t[i] != NULL)
			template_set_host(t[i], l != NULL ? l->host : NULL,
			                  l != NULL ? l->name : NULL);
}

int
command_string(struct command *c, const struct template *t, const struct job *j,
               struct buf *b)
{
	buf_reset(b);
	if (command_fit(c, j) == -1)
		return -1;
	return expand_joined(c, t, j, j->t.slot, b);
}

int
command_path(struct command *c, const struct job *j, struct buf *b)
{
	buf_reset(b);
	if (command_fit(c, j) == -1)
		return -1;
	return expand_joined(c, c->pathtmpl, j, j->t.ran_in, b);
}

int
command_describe(const struct command *c, const struct job *j, struct buf *b)
{
	size_t i;
	int k;

	buf_reset(b);
	if (c->o->argc == 0)
		return buf_appends(b, "slow_add_one ") == -1 ||
		               shquote(b, j->rec.data, j->rec.len) == -1
		           ? -1
		           : 0;
	if (c->o->workers) {
		/* The worker and, after it, the line it is given. */
		for (k = 0; k < c->o->argc; k++)
			if (shquote(b, c->o->argv[k], strlen(c->o->argv[k])) ==
			        -1 ||
			    buf_appendc(b, ' ') == -1)
				return -1;
		return buf_appends(b, "<<< ") == -1 ||
		               shquote(b, j->rec.data, j->rec.len) == -1
		           ? -1
		           : 0;
	}
	if (c->o->shell)
		return buf_appends(b, c->argv.argv[2]);
	for (i = 0; c->argv.argv[i] != NULL; i++)
		if ((i > 0 && buf_appendc(b, ' ') == -1) ||
		    shquote(b, c->argv.argv[i], strlen(c->argv.argv[i])) == -1)
			return -1;
	return 0;
}

int
command_expand(struct command *c, const struct job *j)
{
	/* -N0: {} is empty and nothing is added, as GNU parallel. */
	return template_expand_n(c->tmpl, c->recs,
	                         c->o->no_args ? 0 : job_recs(c, j), j->seq,
	                         j->t.slot, &c->argv);
}

int
command_program(struct command *c)
{
	if (c->name_varies) {
		free(c->path);
		c->path = NULL;
		c->resolve_err = child_resolve(c->argv.argv[0], &c->path);
	}
	return c->resolve_err;
}

size_t
command_chars(const struct command *c)
{
	/* The words are NUL-terminated, end to end, in argv.strings. */
	return c->o->shell ? strlen(c->argv.argv[2]) + 1 : c->argv.strings.len;
}

void
command_set_total(struct command *c, uint64_t total)
{
	if (c->tmpl != NULL)
		template_set_total(c->tmpl, total);
	if (c->tagtmpl != NULL)
		template_set_total(c->tagtmpl, total);
}
