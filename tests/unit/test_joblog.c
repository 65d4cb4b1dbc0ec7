#include "joblog.h"
#include "tap.h"

int
main(void)
{
	struct buf b = BUF_INIT;
	struct joblog_row row = {1, 1795656875.8554, 0.0021, 2, 3,
	                         0, "echo a; exit 3"};

	joblog_header(&b);
	is_bytes(
	    b.data, b.len,
	    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\t"
	    "Command\n",
	    "header as GNU parallel's");
	buf_reset(&b);
	joblog_format(&b, &row);
	/* A row GNU parallel 20221122 wrote for the same job. */
	is_bytes(
	    b.data, b.len,
	    "1\t:\t1795656875.855\t     0.002\t0\t2\t3\t0\techo a; exit 3\n",
	    "row as GNU parallel's");
	buf_reset(&b);
	row.seq = 12;
	row.runtime = 1.0934;
	row.received = 0;
	row.exitval = -1;
	row.signal = 15;
	row.command = "sleep 5 1";
	joblog_format(&b, &row);
	is_bytes(b.data, b.len,
	         "12\t:\t1795656875.855\t     1.093\t0\t0\t-1\t15\tsleep 5 1\n",
	         "a timed-out job: Exitval -1 and its signal");
	buf_free(&b);
	return tap_done();
}
