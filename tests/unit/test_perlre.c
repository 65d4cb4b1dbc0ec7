#include "config.h"

#include <errno.h>
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "perlre.h"
#include "tap.h"

/* Perl pattern -> the ERE it becomes. */
static const struct {
	const char *perl, *ere;
} translations[] = {
    {"\\t", "\t"},
    {",", ","},
    {":", ":"},
    {" ", " "},
    {"\\s", "[\t-\r ]"},
    {"\\s+", "[\t-\r ]+"},
    {"\\S", "[^\t-\r ]"},
    {"\\d+", "[0-9]+"},
    {"\\D", "[^0-9]"},
    {"\\w", "[0-9A-Z_a-z]"},
    {"\\W+", "[^0-9A-Z_a-z]+"},
    {"\\h", "[\t \240]"},
    {"\\v", "[\n-\r\205]"},
    {"\\s*,\\s*", "[\t-\r ]*,[\t-\r ]*"},
    {"[,;]", "[,;]"},
    {"[;]", ";"},
    {"\\|", "\\|"},
    {".", "[^\n]"},
    {"\\.", "\\."},
    {"[.]", "\\."},
    {"[\\t ]+", "[\t ]+"},
    {"a{2}", "a{2}"},
    {"a{2,}", "a{2,}"},
    {"a{2,3}", "a{2,3}"},
    {"a{0,1}", "a?"},
    {"a{1,}", "a+"},
    {"a{0,}", "a*"},
    {"(?:ab)+", "(ab)+"},
    {"(?:a|b)c", "(a|b)c"},
    {"\\t|  +", "\t|  +"},
    {"[[:alpha:]]", "[A-Za-z]"},
    {"[[:punct:]]", "[]!-,./:-@\\_`{-~[^-]"},
    {"[[:^digit:]x]", "[^0-9]"},
    {"[\\D,]", "[^0-9]"},
    {"[]a]", "[]a]"},
    {"[^]a]", "[^]a]"},
    {"[a-]", "[a-]"},
    {"[-a]", "[a-]"},
    {"[-^]", "[-^]"},
    {"[\\^a]", "[a^]"},
    {"[\\[\\]]", "[][]"},
    {"[[.]", "[.[]"},
    {"[\\\\]", "\\\\"},
    {"[a-c]", "[a-c]"},
    {"[abd]", "[abd]"},
    {"[\\s\\S]", "(\n|[^\n])"},
    {"[\\x00-\\x1f]", "[^] -,.-Z\\_-\377[^-]"},
    {"\\0", "[^]\001-,.-Z\\_-\377[^-]"},
    {"\\x41", "A"},
    {"\\x{2e}", "\\."},
    {"\\x2a", "\\*"},
    {"\\x{e9}", "\351"},
    {"\\012", "\n"},
    {"[\\101-\\103]", "[A-C]"},
    {"\\e\\a\\f\\r\\n", "\033\a\f\r\n"},
    {"[\\b]", "\b"},
    {"{", "\\{"},
    {"}", "}"},
    {"]", "]"},
    {"a{", "a\\{"},
    {"x{2", "x\\{2"},
    {"x{a}", "x\\{a}"},
    {"x{}", "x\\{}"},
    {"x{,}", "x\\{,}"},
    {"x{ }", "x\\{ }"},
    {"\\x41{", "A\\{"},
    {"\\.{", "\\.\\{"},
    {"\\d{2}", "[0-9]{2}"},
    {"^,", "^,"},
    {",$", ",$"},
    {"\\A,", "^,"},
    {",\\z", ",$"},
    {",\\Z", ",$"},
    {"\\/\\,\\ \\-\\:\\;\\=\\@\\#\\%\\&\\~\\<\\>\\'\\\"", "/, -:;=@#%&~<>'\""},
    {"\\+\\*\\?\\(\\)\\[\\]\\{\\}\\^\\$\\\\",
     "\\+\\*\\?\\(\\)\\[]\\{}\\^\\$\\\\"},
    {"\303\251", "\303\251"},
    {"\\\351", "\351"},
    {"x|,", "x|,"},
    {"a(?:)b", "a()b"},
};

/* Perl pattern -> why it is refused. */
static const struct {
	const char *perl, *why;
} refusals[] = {
    {"(a)", "a capturing group (...) would put the separators among the "
            "fields: use (?:...)"},
    {"(?=a)", "lookaround (?=...) is not supported"},
    {"(?!a)", "lookaround (?=...) is not supported"},
    {"(?<=a)", "lookaround (?=...) is not supported"},
    {"(?<!a)", "lookaround (?=...) is not supported"},
    {"(?<n>a)", "named groups are not supported: use (?:...)"},
    {"(?P<n>a)", "named groups are not supported: use (?:...)"},
    {"(?i)a", "flags, comments and (?...) groups other than (?:...) are "
              "not supported"},
    {"(?#x)a", "flags, comments and (?...) groups other than (?:...) are "
               "not supported"},
    {"(?>a)", "flags, comments and (?...) groups other than (?:...) are "
              "not supported"},
    {"(*FAIL)", "(*...) verbs are not supported"},
    {"(?:a", "unmatched ("},
    {"a)", "unmatched )"},
    {"[a", "unmatched ["},
    {"a\\", "the pattern ends in a lone \\"},
    {"\\b", "\\b (word boundary) is not supported"},
    {"\\B", "\\B (not a word boundary) is not supported"},
    {"\\G", "\\G is not supported"},
    {"\\K", "\\K is not supported"},
    {"\\p{L}", "\\p{...} (Unicode property) is not supported"},
    {"\\PL", "\\P{...} (Unicode property) is not supported"},
    {"\\X", "\\X (grapheme cluster) is not supported"},
    {"\\R", "\\R (any line break) is not supported"},
    {"\\N", "\\N is not supported: use ."},
    {"\\N{U+41}", "\\N is not supported: use ."},
    {"\\cA", "\\c (control character) is not supported: use \\xHH"},
    {"\\o{101}", "\\o{...} is not supported: use \\xHH"},
    {"(?:a)\\1", "backreferences \\1 to \\9 are not supported"},
    {"\\9", "backreferences \\1 to \\9 are not supported"},
    {"\\g1", "backreference \\g is not supported"},
    {"\\k<n>", "backreference \\k is not supported"},
    {"\\q",
     "unknown escape: a backslash before a letter or digit Perl gives no "
     "meaning"},
    {"\\y",
     "unknown escape: a backslash before a letter or digit Perl gives no "
     "meaning"},
    {"[\\q]",
     "unknown escape: a backslash before a letter or digit Perl gives no "
     "meaning"},
    {"[\\8]",
     "unknown escape: a backslash before a letter or digit Perl gives no "
     "meaning"},
    {"[\\A]",
     "unknown escape: a backslash before a letter or digit Perl gives no "
     "meaning"},
    {"\\x{100}", "characters above \\xff are not supported"},
    {"[\\400]", "characters above \\xff are not supported"},
    {"\\x{4g}", "\\x{...} holds a non-hex digit"},
    {"[z-a]", "a range in [...] is backwards"},
    {"[\\d-z]", "a range in [...] must join two characters"},
    {"[a-\\s]", "a range in [...] must join two characters"},
    {"[[:foo:]]", "unknown POSIX class [:name:]"},
    {"[[=a=]]", "[= =] and [. .] are not supported"},
    {"[:alpha:]", "[:name:] belongs inside a class: [[:name:]]"},
    {"[^\\x00-\\xff]", "a class that matches nothing"},
    {"*a", "a quantifier (*, + or ?) follows nothing"},
    {"a|+", "a quantifier (*, + or ?) follows nothing"},
    {"a*?", "non-greedy quantifiers (*? +? ?? {n,m}?) are not supported"},
    {"a+?", "non-greedy quantifiers (*? +? ?? {n,m}?) are not supported"},
    {"a{2,3}?", "non-greedy quantifiers (*? +? ?? {n,m}?) are not supported"},
    {"a*+", "possessive quantifiers (*+ ++ ?+ {n,m}+) are not supported"},
    {"a**", "nested quantifiers"},
    {"a{2}{3}", "nested quantifiers"},
    {"a{,2}", "{,n} and blanks in {n,m} mean different things to "
              "different Perls (\\{ is a literal {)"},
    {"a{ 2 }", "{,n} and blanks in {n,m} mean different things to "
               "different Perls (\\{ is a literal {)"},
    {"a{3,2}", "{n,m} with n > m"},
    {"\\d{", "Perl takes no literal { after \\d, \\t and the like: write \\{"},
    {"\\\\x{",
     "Perl takes no literal { after \\d, \\t and the like: write \\{"},
    {"\\t{2", "Perl takes no literal { after \\d, \\t and the like: write \\{"},
    {"[^[", "unmatched ["},
    {"[[", "unmatched ["},
    {"a{256}", "a repeat count over 255 is not supported"},
    {"(?:(?:a{255}){255}){255}",
     "repeat counts that multiply past 20000 copies are not supported"},
    {"^*", "a quantifier on what can match nothing (an anchor, or a group "
           "such as (?:a?)) is not supported"},
    {"(?:a?)+", "a quantifier on what can match nothing (an anchor, or a "
                "group such as (?:a?)) is not supported"},
    {"(?:^a)+",
     "a quantifier on a group holding an anchor (^ $) is not supported"},
    {"a|", "an alternative that can match nothing is not supported"},
    {"a||b", "an alternative that can match nothing is not supported"},
    {":|::", "alternatives that can start with the same character are not "
             "supported (Perl takes the first that matches, POSIX the "
             "longest)"},
    {"\\s|\\t", "alternatives that can start with the same character are "
                "not supported (Perl takes the first that matches, POSIX "
                "the longest)"},
    {"a*a", "a repeated or optional part that can also match what follows "
            "it is not supported (Perl and POSIX could split differently)"},
    {"a*(?:ab)?", "a repeated or optional part that can also match what "
                  "follows it is not supported (Perl and POSIX could split "
                  "differently)"},
    {"\\s*\\t", "a repeated or optional part that can also match what "
                "follows it is not supported (Perl and POSIX could split "
                "differently)"},
    {"(?:a+)+", "a repeated or optional part that can also match what "
                "follows it is not supported (Perl and POSIX could split "
                "differently)"},
};

/*
 * Record -> its fields as Perl 5.36 gave them, once, so that the test needs
 * no perl: perl -e '@f = split /$ARGV[0]/, $ARGV[1], -1;
 * print scalar(@f), ":", join("|", @f)' RE RECORD
 */
static const struct {
	const char *perl, *rec, *want;
	size_t len;
} splits[] = {
    {"\\t", "a\tb\tc", "3:a|b|c", sizeof "a\tb\tc" - 1},
    {"\\t", "\ta\t", "3:|a|", sizeof "\ta\t" - 1},
    {"\\t", "", "0:", sizeof "" - 1},
    {"\\t", "abc", "1:abc", sizeof "abc" - 1},
    {"\\t", "a\t\tb", "3:a||b", sizeof "a\t\tb" - 1},
    {",", "a,b,c", "3:a|b|c", sizeof "a,b,c" - 1},
    {",", ",a,", "3:|a|", sizeof ",a," - 1},
    {",", ",", "2:|", sizeof "," - 1},
    {",", ",,", "3:||", sizeof ",," - 1},
    {",", "a", "1:a", sizeof "a" - 1},
    {",", "\351,\377,\200", "3:\351|\377|\200", sizeof "\351,\377,\200" - 1},
    {"\\s+", "a  b\t\nc", "3:a|b|c", sizeof "a  b\t\nc" - 1},
    {"\\s+", "  a b  ", "4:|a|b|", sizeof "  a b  " - 1},
    {"\\s+", " ", "2:|", sizeof " " - 1},
    {"\\s+", "ab", "1:ab", sizeof "ab" - 1},
    {"\\s*,\\s*", "a , b,c ,d", "4:a|b|c|d", sizeof "a , b,c ,d" - 1},
    {"\\s*,\\s*", " , ", "2:|", sizeof " , " - 1},
    {"\\s*,\\s*", "a,,b", "3:a||b", sizeof "a,,b" - 1},
    {"\\s*,\\s*", "a ,", "2:a|", sizeof "a ," - 1},
    {"[,;]", "a,b;c", "3:a|b|c", sizeof "a,b;c" - 1},
    {"[,;]", ";a,", "3:|a|", sizeof ";a," - 1},
    {"[,;]", ",;", "3:||", sizeof ",;" - 1},
    {"\\|", "a|b||c", "4:a|b||c", sizeof "a|b||c" - 1},
    {"\\|", "|", "2:|", sizeof "|" - 1},
    {"\\d+", "a1b22c333", "4:a|b|c|", sizeof "a1b22c333" - 1},
    {"\\d+", "12a", "2:|a", sizeof "12a" - 1},
    {"\\d+", "a12", "2:a|", sizeof "a12" - 1},
    {"\\d+", "abc", "1:abc", sizeof "abc" - 1},
    {":", "/usr/bin:/bin:", "3:/usr/bin|/bin|", sizeof "/usr/bin:/bin:" - 1},
    {":", ":a", "2:|a", sizeof ":a" - 1},
    {":", "::", "3:||", sizeof "::" - 1},
    {" ", "a b  c", "4:a|b||c", sizeof "a b  c" - 1},
    {" ", " a ", "3:|a|", sizeof " a " - 1},
    {"\\.", "www.example.com", "3:www|example|com",
     sizeof "www.example.com" - 1},
    {"\\.", "a..b.", "4:a||b|", sizeof "a..b." - 1},
    {"[\\t ]+", "a \t b\tc ", "4:a|b|c|", sizeof "a \t b\tc " - 1},
    {"[\\t ]+", "\t a", "2:|a", sizeof "\t a" - 1},
    {"a{2}", "xaay", "2:x|y", sizeof "xaay" - 1},
    {"a{2}", "aaaa", "3:||", sizeof "aaaa" - 1},
    {"a{2}", "aaa", "2:|a", sizeof "aaa" - 1},
    {"a{2}", "xaaaay", "3:x||y", sizeof "xaaaay" - 1},
    {"(?:ab)+", "xababy", "2:x|y", sizeof "xababy" - 1},
    {"(?:ab)+", "abxab", "3:|x|", sizeof "abxab" - 1},
    {"(?:ab)+", "aba", "2:|a", sizeof "aba" - 1},
    {".", "abc", "4:|||", sizeof "abc" - 1},
    {".", "a\nb", "3:|\n|", sizeof "a\nb" - 1},
    {"\\W+", "a\351b c", "3:a|b|c", sizeof "a\351b c" - 1},
    {"\\W+", "\303\251t\303\251", "3:|t|", sizeof "\303\251t\303\251" - 1},
    {"\\x{e9}", "a\351b\351", "3:a|b|", sizeof "a\351b\351" - 1},
    {"\\xe9", "a\351b", "2:a|b", sizeof "a\351b" - 1},
    {"[\\x80-\\xff]+", "caf\303\251s", "2:caf|s", sizeof "caf\303\251s" - 1},
    {"\\0", "a\000b\000", "3:a|b|", sizeof "a\000b\000" - 1},
    {"[^a-z]", "ab1cd\000e", "3:ab|cd|e", sizeof "ab1cd\000e" - 1},
    {"::", "a::b:::c", "3:a|b|:c", sizeof "a::b:::c" - 1},
    {",$", "a,b,", "2:a,b|", sizeof "a,b," - 1},
    {",$", "a,b", "1:a,b", sizeof "a,b" - 1},
    {"^,", ",a,b", "2:|a,b", sizeof ",a,b" - 1},
    {"^,", "a,b", "1:a,b", sizeof "a,b" - 1},
    {"\\\\", "a\\b\\", "3:a|b|", sizeof "a\\b\\" - 1},
    {"[]-]", "a]b-c", "3:a|b|c", sizeof "a]b-c" - 1},
    {"[[:punct:]]+", "a!?b.c", "3:a|b|c", sizeof "a!?b.c" - 1},
    {"[[:punct:]]+", "-x-", "3:|x|", sizeof "-x-" - 1},
    {"\\h+", "a \240b\tc", "3:a|b|c", sizeof "a \240b\tc" - 1},
    {"x|,", "axb,c", "3:a|b|c", sizeof "axb,c" - 1},
    {"\\e", "a\033b", "2:a|b", sizeof "a\033b" - 1},
    {"\\$", "a$b", "2:a|b", sizeof "a$b" - 1},
    {"{", "a{b{", "3:a|b|", sizeof "a{b{" - 1},
    {"a{", "xa{y", "2:x|y", sizeof "xa{y" - 1},
    {"\\.+", "a...b.", "3:a|b|", sizeof "a...b." - 1},
    {",\\s*", "a, b,c,  ", "4:a|b|c|", sizeof "a, b,c,  " - 1},
    {"\\t|  +", "a\tb  c d", "3:a|b|c d", sizeof "a\tb  c d" - 1},
};

static struct buf shown[2];

/* s[0..n) as a C string literal would show it, in one of two slots. */
static const char *
show(int slot, const char *s, size_t n)
{
	struct buf *b = &shown[slot];
	size_t i;

	buf_reset(b);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t')
			buf_appends(b, "\\t");
		else if (c < ' ' || c > '~')
			buf_printf(b, "\\%03o", c);
		else
			buf_appendc(b, (char)c);
	}
	buf_appendc(b, '\0');
	return b->data;
}

struct fields {
	struct buf b;
	int n, calls, stop_at; /* emit fails with 7 on call stop_at */
};

static int
collect(void *ctx, const char *f, size_t n)
{
	struct fields *fs = ctx;

	if (++fs->calls == fs->stop_at)
		return 7;
	if (fs->n++ > 0)
		buf_appendc(&fs->b, '|');
	buf_append(&fs->b, f, n);
	return 0;
}

static void
is_split(const char *perl, const char *rec, size_t len, const char *want,
         size_t want_len)
{
	struct fields fs = {BUF_INIT, 0, 0, 0};
	struct buf got = BUF_INIT;
	struct perlre pr;
	const char *why;
	int pass = 0;

	if (perlre_compile(&pr, perl, &why) == 0) {
		if (perlre_split(&pr, rec, len, collect, &fs) == 0) {
			buf_printf(&got, "%d:", fs.n);
			buf_append(&got, fs.b.data, fs.b.len);
			pass = got.len == want_len &&
			       memcmp(got.data, want, want_len) == 0;
		}
		perlre_free(&pr);
	}
	ok(pass, "split /%s/ on \"%s\" as Perl", show(0, perl, strlen(perl)),
	   show(1, rec, len));
	if (!pass)
		printf("#   got:  %s\n", show(0, got.data, got.len));
	buf_free(&got);
	buf_free(&fs.b);
}

int
main(void)
{
	struct buf ere = BUF_INIT;
	struct fields fs = {BUF_INIT, 0, 0, 0};
	struct perlre pr;
	const char *why;
	regex_t re;
	size_t i;
	int r;

	for (i = 0; i < sizeof translations / sizeof *translations; i++) {
		buf_reset(&ere);
		r = perlre_to_ere(translations[i].perl, &ere, &why);
		is_bytes(
		    ere.data, r == 0 ? ere.len : 0, translations[i].ere,
		    "/%s/ becomes %s",
		    show(0, translations[i].perl, strlen(translations[i].perl)),
		    show(1, translations[i].ere, strlen(translations[i].ere)));
		buf_appendc(&ere, '\0');
		r = regcomp(&re, ere.data, REG_EXTENDED);
		ok(r == 0, "and regcomp takes it");
		if (r == 0)
			regfree(&re);
	}

	for (i = 0; i < sizeof refusals / sizeof *refusals; i++) {
		buf_reset(&ere);
		buf_appends(&ere, "kept");
		why = NULL;
		errno = 0;
		r = perlre_to_ere(refusals[i].perl, &ere, &why);
		ok(r == -1 && errno == EINVAL && ere.len == 4 && why != NULL &&
		       strcmp(why, refusals[i].why) == 0,
		   "/%s/ refused: %s", refusals[i].perl, refusals[i].why);
		if (r == 0 || why == NULL || strcmp(why, refusals[i].why) != 0)
			printf("#   got: %s\n", r == 0 ? "accepted" : why);
	}
	buf_reset(&ere);
	buf_appends(&ere, "x");
	ok(perlre_to_ere("a", &ere, &why) == 0 && ere.len == 2 &&
	       memcmp(ere.data, "xa", 2) == 0,
	   "the ERE is appended to what out holds");

	{
		static const char *const empty[] = {
		    "a*", "^", "$", "^$", "\\s*", "(?:,)?", "x{0}", ""};

		for (i = 0; i < sizeof empty / sizeof *empty; i++) {
			why = NULL;
			errno = 0;
			ok(perlre_compile(&pr, empty[i], &why) == -1 &&
			       errno == EINVAL && why != NULL &&
			       strcmp(why, "it can match the empty string") ==
			           0,
			   "compile refuses /%s/: it can match nothing",
			   empty[i]);
		}
		why = NULL;
		ok(perlre_compile(&pr, "(a)", &why) == -1 && errno == EINVAL &&
		       why != NULL &&
		       strncmp(why, "a capturing group", 17) == 0,
		   "compile passes on a translation refusal");
	}

	{
		static const struct {
			const char *perl;
			int lit;
		} lits[] = {
		    {",", ','},   {"\\t", '\t'},     {"\\.", '.'},
		    {"\\|", '|'}, {"[;]", ';'},      {"\\\\", '\\'},
		    {"\\{", '{'}, {"\\x{e9}", 0xe9}, {"\\s+", -1},
		    {"::", -1},   {"[,;]", -1},      {"\\0", -1},
		};

		for (i = 0; i < sizeof lits / sizeof *lits; i++) {
			r = perlre_compile(&pr, lits[i].perl, &why);
			ok(r == 0 && pr.lit == lits[i].lit, "/%s/ %s",
			   lits[i].perl,
			   lits[i].lit < 0 ? "needs regexec"
			                   : "is one byte, split with memchr");
			if (r == 0)
				perlre_free(&pr);
		}
	}

	for (i = 0; i < sizeof splits / sizeof *splits; i++)
		is_split(splits[i].perl, splits[i].rec, splits[i].len,
		         splits[i].want, strlen(splits[i].want));

	/* emit's failure stops the split and comes back. */
	for (i = 0; i < 2; i++) {
		ok(perlre_compile(&pr, i ? "\\s*,\\s*" : ",", &why) == 0,
		   "compile %s", i ? "a regex" : "a literal");
		fs.calls = fs.n = 0;
		fs.stop_at = 2;
		ok(perlre_split(&pr, "a,b,c", 5, collect, &fs) == 7 &&
		       fs.calls == 2,
		   "emit's non-zero return stops the split (%s)",
		   i ? "regexec" : "memchr");
		perlre_free(&pr);
	}
	fs.stop_at = 0;

	/* A UTF-8 locale must not turn bytes into letters. */
	{
		static const struct {
			const char *perl, *rec, *want;
		} utf8[] = {
		    {"[^t]", "\303\251t", "3:||t"},
		    {".", "\303\251", "3:||"},
		    {"\\W", "a\303\251b", "3:a||b"},
		    {"[[:alpha:]]+", "1\303\251a2", "2:1\303\251|2"},
		};
		const char *loc = setlocale(LC_CTYPE, "C.UTF-8");

		if (loc == NULL)
			loc = setlocale(LC_CTYPE, "en_US.UTF-8");
		for (i = 0; i < sizeof utf8 / sizeof *utf8; i++)
			is_split(utf8[i].perl, utf8[i].rec, strlen(utf8[i].rec),
			         utf8[i].want, strlen(utf8[i].want));
		printf("# in locale %s\n", loc ? loc : "C (no UTF-8 one)");
		setlocale(LC_CTYPE, "C");
	}

	buf_free(&fs.b);
	buf_free(&ere);
	buf_free(&shown[0]);
	buf_free(&shown[1]);
	return tap_done();
}
