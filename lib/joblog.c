#include "joblog.h"

int
joblog_header(struct buf *b)
{
	return buf_appends(b,
	                   "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\t"
	                   "Exitval\tSignal\tCommand\n");
}

int
joblog_format(struct buf *b, const struct joblog_row *row)
{
	/* Host ':' is GNU parallel's name for the local machine; nothing is
	 * sent to a job's stdin, so Send is always 0. */
	return buf_printf(b, "%llu\t:\t%.3f\t%10.3f\t0\t%llu\t%d\t%d\t%s\n",
	                  (unsigned long long)row->seq, row->start,
	                  row->runtime, (unsigned long long)row->received,
	                  row->exitval, row->signal, row->command);
}
