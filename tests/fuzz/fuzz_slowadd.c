/* libFuzzer: slow_add_one's number parsing and Python-style formatting:
 * an accepted record's answer must read back as the record plus one. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slowadd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT, why = BUF_INIT;
	char text[4200];
	double s = 0, got, want;

	if (slowadd_compute((const char *)data, size, 1.0, &out, &s, &why) ==
	    0) {
		if (out.len == 0 || out.data[out.len - 1] != '\n' ||
		    why.len != 0 || !(s >= 0))
			abort();
		if (size >= sizeof text)
			return 0; /* the fuzzer's -max_len keeps inputs shorter
			           */
		memcpy(text, data, size);
		text[size] = '\0';
		got = strtod(out.data, NULL);
		want = strtod(text, NULL) + 1.0;
		if (!(got == want || fabs(got - want) <= fabs(want) * 1e-15))
			abort();
	} else if (why.len == 0) {
		abort();
	}
	buf_free(&out);
	buf_free(&why);
	return 0;
}
