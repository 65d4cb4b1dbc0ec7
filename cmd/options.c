/* The option table and the --help text (see options.h). */
#include "config.h"

#include "options.h"

/* The one table of options: the parser's getopt tables and the shell
 * completion scripts are both made from it. */
const struct complete_opt args_options[] = {
    {"jobs", 'j', COMPLETE_NUMBER, "N", NULL, "run at most N jobs at once",
     'j'},
    {"max-procs", 'P', COMPLETE_NUMBER, "N", NULL, "same as --jobs", 'j'},
    {"no-run-if-empty", 'r', COMPLETE_NONE, NULL, NULL,
     "no job for a record that is blank", 'r'},
    {"null", '0', COMPLETE_NONE, NULL, NULL, "records end with NUL bytes", '0'},
    {"max-args", 'n', COMPLETE_NUMBER, "N", NULL, "give each job N records",
     'N'},
    {"max-replace-args", 'N', COMPLETE_NUMBER, "N", NULL,
     "give each job N records", 'N'},
    {"delimiter", 'd', COMPLETE_WORD, "C", NULL, "records end with byte C",
     'd'},
    {"arg-file", 'a', COMPLETE_FILE, "FILE", NULL,
     "read input values from FILE (repeatable)", 'a'},
    {"arg-sep", 0, COMPLETE_WORD, "SEP", NULL,
     "use SEP instead of ::: before values", OPT_ARG_SEP},
    {"arg-file-sep", 0, COMPLETE_WORD, "SEP", NULL,
     "use SEP instead of :::: before files", OPT_ARG_FILE_SEP},
    {"link", 0, COMPLETE_NONE, NULL, NULL,
     "take input sources in step, not crossed", OPT_LINK},
    {"xapply", 0, COMPLETE_NONE, NULL, NULL, "same as --link", OPT_LINK},
    {"colsep", 'C', COMPLETE_WORD, "REGEX", NULL,
     "split each value into columns {1}..{n}", 'C'},
    {"col-sep", 0, COMPLETE_WORD, "REGEX", NULL, "same as --colsep", 'C'},
    {"trim", 0, COMPLETE_CHOICE, "WHERE", "n l r lr rl",
     "cut blanks from values: n, l, r, lr or rl", OPT_TRIM},
    {"header", 0, COMPLETE_WORD, "REGEX", NULL,
     "first value of each source names columns {name}", OPT_HEADER},
    {"plus", 0, COMPLETE_NONE, NULL, NULL,
     "more replacement strings: {+.} {..} {%re} {:-str}...", OPT_PLUS},
    {"replace", 'I', COMPLETE_WORD, "STR", NULL, "use STR instead of {}", 'I'},
    {"extensionreplace", 0, COMPLETE_WORD, "STR", NULL,
     "use STR instead of {.}", OPT_EXTENSIONREPLACE},
    {"er", 0, COMPLETE_WORD, "STR", NULL, "same as --extensionreplace",
     OPT_EXTENSIONREPLACE},
    {"basenamereplace", 0, COMPLETE_WORD, "STR", NULL, "use STR instead of {/}",
     OPT_BASENAMEREPLACE},
    {"bnr", 0, COMPLETE_WORD, "STR", NULL, "same as --basenamereplace",
     OPT_BASENAMEREPLACE},
    {"dirnamereplace", 0, COMPLETE_WORD, "STR", NULL, "use STR instead of {//}",
     OPT_DIRNAMEREPLACE},
    {"dnr", 0, COMPLETE_WORD, "STR", NULL, "same as --dirnamereplace",
     OPT_DIRNAMEREPLACE},
    {"basenameextensionreplace", 0, COMPLETE_WORD, "STR", NULL,
     "use STR instead of {/.}", OPT_BASENAMEEXTENSIONREPLACE},
    {"bner", 0, COMPLETE_WORD, "STR", NULL,
     "same as --basenameextensionreplace", OPT_BASENAMEEXTENSIONREPLACE},
    {"seqreplace", 0, COMPLETE_WORD, "STR", NULL, "use STR instead of {#}",
     OPT_SEQREPLACE},
    {"slotreplace", 0, COMPLETE_WORD, "STR", NULL, "use STR instead of {%}",
     OPT_SLOTREPLACE},
    {"context-replace", 'X', COMPLETE_NONE, NULL, NULL,
     "many records per job, a word with {} repeated for each", 'X'},
    {"multiple", 'm', COMPLETE_NONE, NULL, NULL,
     "many records per job, each its own argument", 'm'},
    {"xargs", 0, COMPLETE_NONE, NULL, NULL,
     "as many records per job as fit a command line", OPT_XARGS},
    {"max-chars", 0, COMPLETE_NUMBER, "N", NULL,
     "command lines of at most N bytes", OPT_MAX_CHARS},
    {"eof", 'E', COMPLETE_WORD, "STR", NULL,
     "a value STR ends its input source", 'E'},
    {"quote", 'q', COMPLETE_NONE, NULL, NULL,
     "with -s: quote COMMAND's own words too", 'q'},
    {"shell", 's', COMPLETE_NONE, NULL, NULL, "run COMMAND through /bin/sh -c",
     's'},
    {"dry-run", 0, COMPLETE_NONE, NULL, NULL,
     "print each command instead of running it", OPT_DRY_RUN},
    {"dryrun", 0, COMPLETE_NONE, NULL, NULL, "same as --dry-run", OPT_DRY_RUN},
    {"verbose", 't', COMPLETE_NONE, NULL, NULL,
     "print each command on stderr as it starts", 't'},
    {"interactive", 'p', COMPLETE_NONE, NULL, NULL,
     "ask on the terminal before running each job", 'p'},
    {"delay", 0, COMPLETE_NUMBER, "SECS", NULL,
     "wait SECS between starting jobs", OPT_DELAY},
    {"nice", 0, COMPLETE_NUMBER, "N", NULL, "run jobs at niceness N", OPT_NICE},
    {"memfree", 0, COMPLETE_NUMBER, "SIZE", NULL,
     "start a job only with SIZE memory free", OPT_MEMFREE},
    {"load", 0, COMPLETE_NUMBER, "MAX", NULL,
     "start a job only while fewer than MAX processes run", OPT_LOAD},
    {"tmpdir", 0, COMPLETE_FILE, "DIR", NULL,
     "keep temporary files in DIR (sets TMPDIR)", OPT_TMPDIR},
    {"shuf", 0, COMPLETE_NONE, NULL, NULL,
     "run the jobs in random order (reads all input first)", OPT_SHUF},
    {"joblog", 0, COMPLETE_FILE, "FILE", NULL,
     "log finished jobs to FILE (GNU parallel's format)", OPT_JOBLOG},
    {"results", 0, COMPLETE_FILE, "DIR", NULL,
     "keep each job's output in files under DIR (or a .csv/.tsv/.json)",
     OPT_RESULTS},
    {"res", 0, COMPLETE_FILE, "DIR", NULL, "same as --results", OPT_RESULTS},
    {"files", 0, COMPLETE_NONE, NULL, NULL,
     "print the name of a file holding each job's output", OPT_FILES},
    {"sshlogin", 'S', COMPLETE_WORD, "LOGINS", NULL,
     "run jobs on [N/][user@]host[:port],... over ssh (: is here)", 'S'},
    {"sshloginfile", 0, COMPLETE_FILE, "FILE", NULL,
     "the logins of -S, one per line", OPT_SSHLOGINFILE},
    {"slf", 0, COMPLETE_FILE, "FILE", NULL, "same as --sshloginfile",
     OPT_SSHLOGINFILE},
    {"ssh", 0, COMPLETE_WORD, "CMD", NULL,
     "reach the hosts of -S with CMD instead of ssh", OPT_SSH},
    {"env", 0, COMPLETE_WORD, "NAME", NULL,
     "give remote jobs (-S) the variable NAME too", OPT_ENV},
    {"onall", 0, COMPLETE_NONE, NULL, NULL, "run every job on every host of -S",
     OPT_ONALL},
    {"nonall", 0, COMPLETE_NONE, NULL, NULL,
     "run the command once on every host of -S, without input", OPT_NONALL},
    {"filter-hosts", 0, COMPLETE_NONE, NULL, NULL,
     "leave out hosts of -S that do not answer, silently", OPT_FILTER_HOSTS},
    {"workdir", 0, COMPLETE_WORD, "DIR", NULL,
     "run remote jobs (-S) in DIR (... a new dir each, . this one)",
     OPT_WORKDIR},
    {"wd", 0, COMPLETE_WORD, "DIR", NULL, "same as --workdir", OPT_WORKDIR},
    {"transferfile", 0, COMPLETE_WORD, "FILE", NULL,
     "send FILE to the host before a remote job (rsync)", OPT_TRANSFERFILE},
    {"tf", 0, COMPLETE_WORD, "FILE", NULL, "same as --transferfile",
     OPT_TRANSFERFILE},
    {"transfer", 0, COMPLETE_NONE, NULL, NULL, "same as --transferfile {}",
     OPT_TRANSFER},
    {"return", 0, COMPLETE_WORD, "FILE", NULL,
     "bring FILE back from the host after a remote job", OPT_RETURN},
    {"cleanup", 0, COMPLETE_NONE, NULL, NULL,
     "remove the files sent and brought back from the host", OPT_CLEANUP},
    {"trc", 0, COMPLETE_WORD, "FILE", NULL,
     "same as --transfer --return FILE --cleanup", OPT_TRC},
    {"basefile", 0, COMPLETE_FILE, "FILE", NULL,
     "send FILE to every host once, before the first job", OPT_BASEFILE},
    {"bf", 0, COMPLETE_FILE, "FILE", NULL, "same as --basefile", OPT_BASEFILE},
    {"slurm", 0, COMPLETE_NONE, NULL, NULL,
     "run each job as a step of the Slurm allocation pmapf is in", OPT_SLURM},
    {"srun", 0, COMPLETE_WORD, "CMD", NULL,
     "--slurm: start steps with CMD (srun and its options) instead of srun",
     OPT_SRUN},
    {"cpus-per-task", 0, COMPLETE_WORD, "N", NULL,
     "--slurm: give each job's step N CPUs", OPT_CPUS_PER_TASK},
    {"timeout", 0, COMPLETE_NUMBER, "SECS", NULL,
     "terminate a job that runs longer", OPT_TIMEOUT},
    {"term-seq", 0, COMPLETE_WORD, "SEQ", NULL,
     "signals and waits that stop a job, e.g. TERM,200,KILL,25", OPT_TERM_SEQ},
    {"termseq", 0, COMPLETE_WORD, "SEQ", NULL, "same as --term-seq",
     OPT_TERM_SEQ},
    {"retries", 0, COMPLETE_NUMBER, "N", NULL,
     "try a failing job up to N times", OPT_RETRIES},
    {"halt", 0, COMPLETE_WORD, "WHEN,WHAT=N", NULL,
     "stop after N jobs failed, succeeded or finished", OPT_HALT},
    {"halt-on-error", 0, COMPLETE_WORD, "WHEN,WHAT=N", NULL, "same as --halt",
     OPT_HALT_ON_ERROR},
    {"haltonerror", 0, COMPLETE_WORD, "WHEN,WHAT=N", NULL, "same as --halt",
     OPT_HALT_ON_ERROR},
    {"resume", 0, COMPLETE_NONE, NULL, NULL,
     "skip jobs the joblog (or --results) holds", OPT_RESUME},
    {"resume-failed", 0, COMPLETE_NONE, NULL, NULL,
     "skip jobs the joblog holds as succeeded", OPT_RESUME_FAILED},
    {"retry-failed", 0, COMPLETE_NONE, NULL, NULL,
     "rerun the failed commands of the joblog", OPT_RETRY_FAILED},
    {"ungroup", 0, COMPLETE_NONE, NULL, NULL,
     "write output as it comes, lines of jobs mixed (implies -u)", OPT_UNGROUP},
    {"tag", 0, COMPLETE_NONE, NULL, NULL, "start output lines with the record",
     OPT_TAG},
    {"line-buffer", 0, COMPLETE_NONE, NULL, NULL,
     "write output a whole line at a time as it comes", OPT_LINE_BUFFER},
    {"linebuffer", 0, COMPLETE_NONE, NULL, NULL, "same as --line-buffer",
     OPT_LINE_BUFFER},
    {"tagstring", 0, COMPLETE_WORD, "STR", NULL,
     "start output lines with STR, expanded", OPT_TAGSTRING},
    {"keep-order", 'k', COMPLETE_NONE, NULL, NULL,
     "write output in input order (the default)", 'k'},
    {"unordered", 'u', COMPLETE_NONE, NULL, NULL,
     "write output as each job ends", 'u'},
    {"time-scale", 0, COMPLETE_NUMBER, "F", NULL,
     "multiply slow_add_one's sleep by F", OPT_TIME_SCALE},
    {"progress", 0, COMPLETE_CHOICE_EQ, "MODE", "auto bar plain json none",
     "show progress; =MODE: how, on stderr", OPT_PROGRESS},
    {"eta", 0, COMPLETE_NONE, NULL, NULL,
     "show progress with the time left (as --progress)", OPT_ETA},
    {"bar", 0, COMPLETE_NONE, NULL, NULL, "same as --progress=bar", OPT_BAR},
    {"progress-interval", 0, COMPLETE_NUMBER, "SECS", NULL,
     "seconds between plain or json progress lines", OPT_PROGRESS_INTERVAL},
    {"progress-fd", 0, COMPLETE_NUMBER, "N", NULL,
     "write progress to descriptor N", OPT_PROGRESS_FD},
    {"total", 0, COMPLETE_NUMBER, "N", NULL,
     "the number of records, for percent and ETA", OPT_TOTAL},
    {"pipe", 0, COMPLETE_NONE, NULL, NULL,
     "give each job a block of stdin on its stdin", OPT_PIPE},
    {"spreadstdin", 0, COMPLETE_NONE, NULL, NULL, "same as --pipe", OPT_PIPE},
    {"pipe-part", 0, COMPLETE_NONE, NULL, NULL,
     "cut the -a/:::: files by offsets, a block to each job", OPT_PIPE_PART},
    {"pipepart", 0, COMPLETE_NONE, NULL, NULL, "same as --pipe-part",
     OPT_PIPE_PART},
    {"round-robin", 0, COMPLETE_NONE, NULL, NULL,
     "--pipe with -j jobs in all, each taking many blocks", OPT_ROUND_ROBIN},
    {"round", 0, COMPLETE_NONE, NULL, NULL, "same as --round-robin",
     OPT_ROUND_ROBIN},
    {"cat", 0, COMPLETE_NONE, NULL, NULL,
     "--pipe with each block in a temporary file, {} its name", OPT_CAT},
    {"fifo", 0, COMPLETE_NONE, NULL, NULL,
     "--pipe with each block through a named pipe, {} its name", OPT_FIFO},
    {"tee", 0, COMPLETE_NONE, NULL, NULL,
     "all of stdin to every job, one job per ::: value", OPT_TEE},
    {"shard", 0, COMPLETE_WORD, "COL", NULL,
     "each line to one of -j jobs by its column COL's value", OPT_SHARD},
    {"bin", 0, COMPLETE_WORD, "COL", NULL,
     "each line to the job its column COL numbers", OPT_BIN},
    {"block-timeout", 0, COMPLETE_NUMBER, "SECS", NULL,
     "with --pipe: a block ends at a record end once this old",
     OPT_BLOCK_TIMEOUT},
    {"bt", 0, COMPLETE_NUMBER, "SECS", NULL, "same as --block-timeout",
     OPT_BLOCK_TIMEOUT},
    {"regexp", 0, COMPLETE_NONE, NULL, NULL,
     "with --pipe: --recend and --recstart are regular expressions",
     OPT_REGEXP},
    {"rrs", 0, COMPLETE_NONE, NULL, NULL,
     "with --pipe: take the record separators out of each block", OPT_RRS},
    {"remove-rec-sep", 0, COMPLETE_NONE, NULL, NULL, "same as --rrs", OPT_RRS},
    {"removerecsep", 0, COMPLETE_NONE, NULL, NULL, "same as --rrs", OPT_RRS},
    {"group-by", 0, COMPLETE_WORD, "COL", NULL,
     "with --pipe: records are runs of lines with one COL value", OPT_GROUP_BY},
    {"block", 0, COMPLETE_NUMBER, "SIZE", NULL,
     "with --pipe: blocks of at most SIZE bytes (default 1M)", OPT_BLOCK},
    {"block-size", 0, COMPLETE_NUMBER, "SIZE", NULL, "same as --block",
     OPT_BLOCK},
    {"recend", 0, COMPLETE_WORD, "STR", NULL,
     "with --pipe: records end with STR (default \\n)", OPT_RECEND},
    {"recstart", 0, COMPLETE_WORD, "STR", NULL,
     "with --pipe: records start with STR", OPT_RECSTART},
    {"max-lines", 'L', COMPLETE_NUMBER, "N", NULL,
     "with --pipe: a record is N lines", 'L'},
    {"workers", 0, COMPLETE_NONE, NULL, NULL,
     "COMMAND is a long-lived worker: a line in, a line out", OPT_WORKERS},
    {"timeline", 0, COMPLETE_FILE, "FILE", NULL,
     "draw the run's jobs as an SVG picture in FILE", OPT_TIMELINE},
    {"from-joblog", 0, COMPLETE_FILE, "LOG", NULL,
     "with --timeline: draw the joblog LOG, run nothing", OPT_FROM_JOBLOG},
    {"number-of-threads", 0, COMPLETE_NONE, NULL, NULL,
     "print the number of CPU threads and exit", OPT_NUMBER_OF_THREADS},
    {"number-of-cores", 0, COMPLETE_NONE, NULL, NULL,
     "print the number of physical CPU cores and exit", OPT_NUMBER_OF_CORES},
    {"number-of-cpus", 0, COMPLETE_NONE, NULL, NULL,
     "same as --number-of-cores", OPT_NUMBER_OF_CORES},
    {"number-of-sockets", 0, COMPLETE_NONE, NULL, NULL,
     "print the number of CPU sockets and exit", OPT_NUMBER_OF_SOCKETS},
    {"use-cores-instead-of-threads", 0, COMPLETE_NONE, NULL, NULL,
     "-j counts physical cores, not threads", OPT_USE_CORES},
    {"use-cpus-instead-of-cores", 0, COMPLETE_NONE, NULL, NULL,
     "same as --use-sockets-instead-of-threads", OPT_USE_SOCKETS},
    {"use-sockets-instead-of-threads", 0, COMPLETE_NONE, NULL, NULL,
     "-j counts CPU sockets, not threads", OPT_USE_SOCKETS},
    {"completion", 0, COMPLETE_CHOICE, "SHELL", "bash zsh fish",
     "print the completion script for SHELL", OPT_COMPLETION},
    {"help", 'h', COMPLETE_NONE, NULL, NULL, "show help and exit", 'h'},
    {"version", 'V', COMPLETE_NONE, NULL, NULL,
     "show version information and exit", 'V'},
};
const size_t args_noptions = sizeof args_options / sizeof args_options[0];
_Static_assert(sizeof args_options / sizeof args_options[0] <= OPTIONS_MAX,
               "OPTIONS_MAX is too small for args_options");

/* getopt's tables, from args_options: "+:" (stop at COMMAND; report a
 * missing value as ':'), then each short option, ':' if it takes one. */
void
options_getopt(struct option *lo, char *shorts)
{
	size_t i, k = 0;

	shorts[k++] = '+';
	shorts[k++] = ':';
	for (i = 0; i < args_noptions; i++) {
		const struct complete_opt *op = &args_options[i];

		lo[i].name = op->name;
		lo[i].has_arg = op->arg == COMPLETE_NONE ? no_argument
		                : op->arg == COMPLETE_CHOICE_EQ
		                    ? optional_argument
		                    : required_argument;
		lo[i].flag = NULL;
		lo[i].val = op->key;
		if (op->short_name != 0) {
			shorts[k++] = op->short_name;
			if (op->arg != COMPLETE_NONE)
				shorts[k++] = ':';
			if (op->arg == COMPLETE_CHOICE_EQ)
				shorts[k++] = ':';
		}
	}
	lo[args_noptions] = (struct option){NULL, 0, NULL, 0};
	shorts[k] = '\0';
}

const char args_usage[] =
    "Usage: pmapf [OPTION]... [--] [COMMAND [ARG]...] [SOURCE]...\n"
    "Run COMMAND once per line of standard input, several at a time, and\n"
    "write each job's output as one block, in input order by default.\n"
    "In an ARG, {} is the line, {.} it without extension, {/} its\n"
    "basename, {//} its dirname, {/.} basename without extension, {#}\n"
    "the job number, {%} the job slot; with none of them, the line is\n"
    "added as the last argument.  Without COMMAND, the built-in\n"
    "slow_add_one runs: sleep x/3 seconds, then print x+1.\n"
    "\n"
    "Input sources, as GNU parallel's, replace standard input:\n"
    "  ::: VALUE...    these values    :::: FILE...  lines of each FILE\n"
    "  :::+ VALUE...   :::: FILE...   linked to the source before (in\n"
    "                  step, ending with the shorter), not crossed\n"
    "Several sources give every combination, the last varying fastest;\n"
    "{1}, {2}... are a job's values by position ({-1} the last; also\n"
    "{2.}, {2/}, {2//}, {2/.}), {} all of them.\n"
    "\n"
    "Options:\n"
    "  -j, --jobs=N          run at most N jobs at once (default: number\n"
    "                        of online CPUs); N% of the online CPUs; +N,\n"
    "                        -N: that many more or fewer; 0: up to 1024\n"
    "  -P, --max-procs=N     the same as -j (xargs' and GNU parallel's)\n"
    "  -r, --no-run-if-empty  run no job for a record that is empty or\n"
    "                        only blanks (with several values: any)\n"
    "  -0, --null            records end with NUL bytes, not newlines\n"
    "  -d, --delimiter=C     records end with the byte C (C escapes such\n"
    "                        as \\t, \\0, \\x1e, octal \\036 are understood)\n"
    "  -N, --max-replace-args=N  give each job N records, as {1}..{N}\n"
    "                        (an argument with {} is repeated for each);\n"
    "                        the last job may get fewer; -N0: a job per\n"
    "                        record, given none of it\n"
    "  -n, --max-args=N      the same, but {} stands for all N, each an\n"
    "                        argument (x{}y: xa, by), as GNU parallel's -n\n"
    "  -a, --arg-file=FILE   read values from the lines of FILE (- is\n"
    "                        standard input); repeatable, one source each\n"
    "      --arg-sep=SEP     use SEP instead of ::: before values\n"
    "      --arg-file-sep=SEP  use SEP instead of :::: before files\n"
    "      --link, --xapply  take the sources in step instead of crossing\n"
    "                        them; shorter ones start over until the\n"
    "                        longest ends\n"
    "  -C, --colsep, --col-sep=REGEX  split each value into columns\n"
    "                        {1}..{n} where REGEX (Perl syntax: \\t, \\s+,\n"
    "                        [,;]) matches; implies --trim=lr\n"
    "      --trim=WHERE      cut blanks from each value: n none, l left,\n"
    "                        r right, lr or rl both\n"
    "      --header=REGEX    the first line of each source names its\n"
    "                        columns, usable as {name} (any REGEX but 0;\n"
    "                        GNU parallel's usual one is :)\n"
    "      --plus            more replacement strings, as GNU parallel's\n"
    "                        --plus: {+/} {+.} {..} {...} {/..} {##} {0#}\n"
    "                        {0%} {:-str} {:n} {:n:m} {#re} {##re} {%re}\n"
    "                        {%%re} {/re/str} {//re/str} {^re} {,re}...\n"
    "  -I, --replace=STR     use STR instead of {}\n"
    "      --extensionreplace, --er=STR  use STR instead of {.}\n"
    "      --basenamereplace, --bnr=STR  use STR instead of {/}\n"
    "      --dirnamereplace, --dnr=STR  use STR instead of {//}\n"
    "      --basenameextensionreplace, --bner=STR  use STR instead of {/.}\n"
    "      --seqreplace=STR  use STR instead of {#}\n"
    "      --slotreplace=STR  use STR instead of {%}\n"
    "  -X, --context-replace  give each job many records, shared evenly\n"
    "                        over the job slots once all are read; a word\n"
    "                        holding {} is repeated for each\n"
    "  -m, --multiple        the same, {} standing for the records, each\n"
    "                        an argument\n"
    "      --xargs           as many records per job as fit a command\n"
    "                        line (ARG_MAX), as xargs; no waiting for the\n"
    "                        end of input\n"
    "      --max-chars=N     command lines of at most N bytes (words and a\n"
    "                        byte after each, as GNU parallel's -s); -X\n"
    "                        and the like fill up to it; longer ones fail\n"
    "  -E, --eof=STR         a value STR ends its input source: it and\n"
    "                        what follows are not read\n"
    "      --pipe, --spreadstdin  give each job a block of standard input\n"
    "                        on its stdin instead of records as arguments\n"
    "                        ({} is empty, {#} the block's number); -N: N\n"
    "                        records a block (-N0: by size); --header N or\n"
    "                        :, the first N lines (or one) start every\n"
    "                        block\n"
    "      --pipe-part, --pipepart  as --pipe, but the blocks are cut from\n"
    "                        the -a or :::: files (or stdin, a file) by\n"
    "                        offsets, each job reading its own range;\n"
    "                        files only, no -N or -L; --retries allowed\n"
    "      --round-robin, --round  --pipe with at most -j jobs in all, each\n"
    "                        given block after block (the one with the\n"
    "                        least left to read takes the next), for\n"
    "                        commands slow to start; output as jobs end\n"
    "      --cat             --pipe (or --pipe-part) with each block in a\n"
    "                        temporary file whose name is the job's value\n"
    "                        ({}, appended if absent), stdin empty; the\n"
    "                        job starts once its block is whole\n"
    "      --tee             all of stdin to every job (implies --pipe):\n"
    "                        one job per ::: value (or tuple), all at\n"
    "                        once (-j at least their number), each given\n"
    "                        the whole input on its stdin\n"
    "      --shard=COL       each line of stdin to one of -j jobs, all\n"
    "                        running at once, by the value of its column\n"
    "                        COL (a number from 1, or a name the first\n"
    "                        line gives), split by --colsep (a comma): the\n"
    "                        same value, the same job (implies --pipe)\n"
    "      --bin=COL         as --shard, but the value numbers the job\n"
    "                        (modulo -j; 0 is the last)\n"
    "      --group-by=COL    with --pipe or --pipe-part: a record is a run\n"
    "                        of lines whose column COL (number or header\n"
    "                        name, split by --colsep, a tab) holds the\n"
    "                        same value; blocks hold whole runs\n"
    "      --fifo            --pipe (or --pipe-part) with each block\n"
    "                        through a named pipe whose name is the job's\n"
    "                        value ({}, appended if absent), stdin empty\n"
    "      --block, --block-size=SIZE  with --pipe: blocks of at most SIZE\n"
    "                        bytes (default 1M; K, M, G: 1024s; k, m, g:\n"
    "                        1000s) ending at the last record end that\n"
    "                        fits; a longer record is a block of its own;\n"
    "                        with --pipe-part: SIZE bytes and the rest of\n"
    "                        the record there, and -n means n blocks per\n"
    "                        job slot (by default -10)\n"
    "      --block-timeout, --bt=SECS  with --pipe: a block not full after\n"
    "                        SECS (s, m, h, d allowed) ends with what it\n"
    "                        has, at a record end, so slow input is not\n"
    "                        held back\n"
    "      --regexp          with --pipe or --pipe-part: --recend and\n"
    "                        --recstart are Perl regular expressions (as\n"
    "                        --colsep's); with neither, records end at\n"
    "                        the newline (or the -0 or -d byte)\n"
    "      --rrs, --remove-rec-sep, --removerecsep  with --pipe or\n"
    "                        --pipe-part: take out of each block every\n"
    "                        record end followed by a record start, one\n"
    "                        start at its start and one end at its end\n"
    "                        (by default: every newline)\n"
    "      --recend=STR      with --pipe: records end with STR (default\n"
    "                        newline, or the byte of -0 or -d; escapes as\n"
    "                        \\n, \\t, \\0, \\x1e are understood)\n"
    "      --recstart=STR    with --pipe: records start with STR\n"
    "  -L, --max-lines=N     with --pipe: a record is N record ends\n"
    "                        (lines), never cut inside\n"
    "  -q, --quote           with -s, quote COMMAND's own words too (GNU\n"
    "                        parallel's -q; without -s nothing is ever\n"
    "                        re-read by a shell)\n"
    "  -s, --shell           run COMMAND through /bin/sh -c; values are\n"
    "                        substituted shell-quoted, so no record can\n"
    "                        inject shell code; without COMMAND, each\n"
    "                        record is a command line to run\n"
    "      --dry-run, --dryrun  print each command, quoted, instead of\n"
    "                        running it\n"
    "  -t, --verbose         print each command, quoted, on stderr as it\n"
    "                        starts\n"
    "  -p, --interactive     ask on the terminal before each job: y runs\n"
    "                        it, anything else skips it (failed, logged\n"
    "                        with exit value -2)\n"
    "      --delay=SECS      start jobs at least SECS apart (the first at\n"
    "                        once; suffixes s, m, h, d)\n"
    "      --nice=N          run jobs at niceness N (-20 to 19; 0: pmapf's\n"
    "                        own; below pmapf's needs privilege)\n"
    "      --memfree=SIZE    start a job only while SIZE bytes of memory\n"
    "                        are free (K, M, G, T: 1024s; k, m, g, t:\n"
    "                        1000s); under half, the youngest job is\n"
    "                        stopped and queued again\n"
    "      --load=MAX        start a job only while fewer than MAX\n"
    "                        processes are running on the machine (MAX as\n"
    "                        -j: N, +N, -N, N%)\n"
    "      --tmpdir=DIR      keep output waiting to be written in DIR, not\n"
    "                        $TMPDIR or /tmp; jobs get TMPDIR=DIR\n"
    "      --shuf            run the jobs in random order; all input is\n"
    "                        read first\n"
    "      --joblog=FILE     log each finished job to FILE in GNU\n"
    "                        parallel's format (+FILE appends; - is\n"
    "                        standard output, each row after its job)\n"
    "      --results, --res=DIR  keep each job's output in files, not on\n"
    "                        stdout: DIR/1/VALUE/{seq,stdout,stderr} (a\n"
    "                        name and value per column; / in a value is\n"
    "                        \\_); with replacement strings the path itself\n"
    "                        (ending in /: a directory); NAME.csv, .tsv or\n"
    "                        .json: a row per job with its output in one\n"
    "                        file (-.csv and the like: on stdout)\n"
    "  -S, --sshlogin=LOGINS  run the jobs on other machines over ssh:\n"
    "                        [N/][user@]host[:port], comma-separated and\n"
    "                        repeatable; N/ gives a host N job slots,\n"
    "                        else -j's (per host, as GNU parallel), else\n"
    "                        its CPUs; : is this machine.  One ssh\n"
    "                        master connection per host; the command\n"
    "                        runs there through /bin/sh, each value one\n"
    "                        word; a host where ssh fails 3 times in a\n"
    "                        row is left out, its jobs run elsewhere;\n"
    "                        the joblog's Host names the login\n"
    "      --sshloginfile, --slf=FILE  the logins of -S, one per line\n"
    "                        (blank lines and # comments skipped)\n"
    "      --ssh=CMD         reach the hosts with CMD (words split at\n"
    "                        blanks) instead of ssh; $PARALLEL_SSH too\n"
    "      --env=NAME        give jobs on other hosts the variable NAME\n"
    "                        of this environment too (repeatable; here\n"
    "                        jobs have it anyway); PARALLEL_SEQ and\n"
    "                        PARALLEL_JOBSLOT go always\n"
    "      --onall           run every job on every host of -S (: and no\n"
    "                        -S: here), one at a time on each host, -j\n"
    "                        hosts at once (default: all); input is read\n"
    "                        first; output comes grouped by host\n"
    "      --nonall          run the command once on every host of -S,\n"
    "                        without values and reading no input\n"
    "      --filter-hosts    leave out hosts of -S that cannot be reached\n"
    "                        without a word (else each is named)\n"
    "      --workdir, --wd=DIR  run remote jobs in DIR there (made if\n"
    "                        missing; default the login dir): ... a new\n"
    "                        dir per job under ~/.parallel/tmp, . this\n"
    "                        dir (relative to home); jobs here stay here\n"
    "      --transferfile, --tf=FILE  send FILE (replacement strings\n"
    "                        allowed) to the host before the job, with\n"
    "                        rsync (needed at both ends): relative under\n"
    "                        the work dir, absolute where it is, after a\n"
    "                        /./ under the work dir\n"
    "      --transfer        same as --transferfile {}\n"
    "      --return=FILE     bring FILE back from the host after the job\n"
    "      --cleanup         then remove what was sent and brought back\n"
    "                        there (and a ... work dir)\n"
    "      --trc=FILE        same as --transfer --return FILE --cleanup\n"
    "      --basefile, --bf=FILE  send FILE to every host once, before\n"
    "                        the first job (removed at the end with\n"
    "                        --cleanup)\n"
    "      --slurm           inside a Slurm allocation (salloc, sbatch),\n"
    "                        run each job as a step of it with srun, on\n"
    "                        one node and CPUs of its own; each job slot\n"
    "                        keeps to one node (the joblog's Host,\n"
    "                        {host}); -j defaults to the allocation's\n"
    "                        tasks; --workers run as long-lived steps;\n"
    "                        Ctrl-C and --timeout cancel the steps\n"
    "      --srun=CMD        start the steps with CMD (words split at\n"
    "                        blanks) instead of srun: srun with options\n"
    "                        of its own, such as the memory per CPU a\n"
    "                        cluster that counts memory needs\n"
    "      --cpus-per-task=N  give each step N CPUs (and, without -j,\n"
    "                        run as many jobs at once as that fits)\n"
    "      --files           print, for each job, the name of a file\n"
    "                        holding its stdout (in the --results tree, or\n"
    "                        a new one in --tmpdir); stderr as usual\n"
    "      --timeout=SECS    terminate a job (SIGTERM, then SIGKILL) that\n"
    "                        runs longer (units as --delay); it counts as\n"
    "                        failed; N% of the median time of the jobs\n"
    "                        that succeeded so far\n"
    "      --term-seq, --termseq=SEQ  how a job is stopped (timeout, halt,\n"
    "                        interrupt): signals, each with milliseconds\n"
    "                        to wait, e.g. TERM,200,TERM,100,KILL,25\n"
    "                        (default TERM,1000,KILL; TERM,500,KILL for a\n"
    "                        timeout)\n"
    "      --retries=N       try a failing job up to N times in all; only\n"
    "                        the last try is written and logged\n"
    "      --halt=WHEN,WHAT=N  stop after N (or N%) jobs failed, succeeded\n"
    "                        or finished: WHEN soon lets running jobs end,\n"
    "                        now terminates them; WHAT fail, success, done;\n"
    "                        also 0 never, 1 soon,fail=1, 2 now,fail=1,\n"
    "                        -1/-2 the same with success, N% soon,fail=N%\n"
    "      --halt-on-error, --haltonerror=WHEN,WHAT=N  the same as --halt\n"
    "      --resume          with --joblog: skip jobs the joblog holds;\n"
    "                        with --results DIR: jobs whose stdout file\n"
    "                        is there\n"
    "      --resume-failed   with --joblog: also rerun those that failed\n"
    "      --retry-failed    with --joblog: rerun the joblog's failed\n"
    "                        commands (COMMAND and sources are not used)\n"
    "      --line-buffer, --linebuffer  write each job's output a whole\n"
    "                        line at a time as it comes (implies -u)\n"
    "      --ungroup         write each job's output as it comes, even\n"
    "                        part of a line (GNU parallel's -u; implies\n"
    "                        -u)\n"
    "      --tag             start each output line with the record and a\n"
    "                        TAB\n"
    "      --tagstring=STR   the same with STR, replacement strings\n"
    "                        expanded, instead of the record\n"
    "  -k, --keep-order      write output in input order (the default)\n"
    "  -u, --unordered       write each job's output as soon as it ends\n"
    "      --time-scale=F    multiply slow_add_one's sleep by F (0: no\n"
    "                        sleep)\n"
    "      --timeline=FILE   when the run ends, draw its jobs in FILE, an\n"
    "                        SVG picture: one row per job slot, one bar\n"
    "                        per job, coloured by outcome\n"
    "      --from-joblog=LOG  with --timeline: draw the jobs of LOG, a\n"
    "                        joblog of pmapf or GNU parallel; run nothing\n"
    "      --workers         COMMAND is a long-lived worker, started N times:\n"
    "                        it reads one record per line on stdin and\n"
    "                        answers each with one line on stdout (one\n"
    "                        that reads ahead or buffers its answers is\n"
    "                        given more after a second); with\n"
    "                        -S each runs on its slot's host (one whose\n"
    "                        host is lost is replaced on another, its\n"
    "                        records run again), with --slurm as a step\n"
    "\n"
    "Progress (on stderr):\n"
    "      --progress, --eta  show progress: a bar on a terminal, else\n"
    "                        plain lines (GNU parallel's flags)\n"
    "      --progress=MODE   auto (default): a bar only on a foreground\n"
    "                        terminal; bar: always a bar; plain: a log line\n"
    "                        every interval; json: the same as JSON lines;\n"
    "                        none: nothing\n"
    "      --bar             same as --progress=bar\n"
    "      --progress-interval=SECS  seconds between plain/json lines\n"
    "                        (default 10)\n"
    "      --progress-fd=N   write progress to descriptor N, not stderr\n"
    "      --total=N         the number of records, for percent and ETA\n"
    "                        before input ends\n"
    "With -S and several hosts, each host's running/done jobs are shown.\n"
    "SIGUSR1 writes one plain status line at any time.\n"
    "\n"
    "CPUs, counted as GNU parallel counts them:\n"
    "      --number-of-threads  print the number of CPU threads (what -j\n"
    "                        counts) and exit\n"
    "      --number-of-cores, --number-of-cpus  print the number of\n"
    "                        physical CPU cores and exit\n"
    "      --number-of-sockets  print the number of CPU sockets and exit\n"
    "      --use-cores-instead-of-threads  -j (its default, N%, +N, -N)\n"
    "                        counts physical cores\n"
    "      --use-sockets-instead-of-threads, --use-cpus-instead-of-cores\n"
    "                        -j counts CPU sockets\n"
    "\n"
    "      --completion=SHELL  print the completion script for SHELL\n"
    "                        (bash, zsh or fish) and exit\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show version information and exit\n"
    "\n"
    "Exit status: 0 if every job succeeded; 1-100 the number of failed\n"
    "jobs; 101 if more than 100 failed; 255 on pmapf's own error; with\n"
    "--halt, as GNU parallel's (see pmapf(1)).\n"
    "\n"
    "Examples:\n"
    "  seq 5 -1 1 | pmapf -j5 -u\n"
    "  find . -name '*.log' | pmapf -j4 gzip -k {}\n";
