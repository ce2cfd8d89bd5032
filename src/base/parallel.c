/* parallel.c: parallel_run (parallel.h). */
#include <pthread.h>
#include "base/parallel.h"

void parallel_run(void *(*fn)(void *), void *jobs, size_t job_size, int n)
{
	pthread_t th[PARALLEL_MAX];
	int started[PARALLEL_MAX] = {0};
	char *j = jobs;
	if (n > PARALLEL_MAX)
		n = PARALLEL_MAX;
	for (int k = 1; k < n; k++)
		started[k] = pthread_create(&th[k], NULL, fn, j + (size_t)k * job_size) == 0;
	if (n > 0)
		fn(j);
	for (int k = 1; k < n; k++) {
		if (started[k])
			pthread_join(th[k], NULL);
		else
			fn(j + (size_t)k * job_size);
	}
}
