/* libFuzzer: the record reader against a naive reference splitter, fed in
 * chunks of fuzzer-chosen sizes. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

#define PREVIEW 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in;
	struct record r;
	size_t max, step, i, n, ref = 0, end;
	int delim;

	if (size < 3)
		return 0;
	delim = data[0] & 1 ? '\n' : '\0';
	max = PREVIEW + data[1] * 4;
	step = 1 + data[2] % 97;
	data += 3;
	size -= 3;
	input_init(&in, delim, max);
	for (i = 0; i <= size; i += n) {
		n = size - i < step ? size - i : step;
		if (n > 0 && input_feed(&in, (const char *)data + i, n) == -1)
			abort();
		if (i + n >= size)
			input_finish(&in);
		while (input_next(&in, &r)) {
			const uint8_t *q =
			    memchr(data + ref, delim, size - ref);
			size_t len;

			end = q ? (size_t)(q - data) : size;
			len = end - ref;
			if (ref >= size && !q)
				abort(); /* a record from nothing */
			if (len > max) {
				if (r.full_len <= r.len || r.full_len != len ||
				    r.len != PREVIEW ||
				    memcmp(r.data, data + ref, PREVIEW) != 0)
					abort();
			} else if (r.full_len != r.len || r.len != len ||
			           memcmp(r.data, data + ref, len) != 0) {
				abort();
			}
			ref = end + 1;
		}
		if (n == 0)
			break;
	}
	/* Every record came out: the reference is at the end too. */
	if (ref < size || !input_done(&in))
		abort();
	input_free(&in);
	return 0;
}
