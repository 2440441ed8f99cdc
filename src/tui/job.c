/*
 * job.c: worker threads and a message queue to the main loop (see job.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tui/job.h"
#include "xalloc.h"

struct job {
	pthread_t	 thread;
	job_fn		 fn;
	void		*arg;
	job_msg_fn	 done;
	volatile int	 cancelled;
	int		 finished;	/* fn returned (set by the worker) */
	struct job	*next;
};

struct msg {
	job_msg_fn	 fn;
	void		*data;
	struct job	*job;		/* a job's end, when fn is NULL */
	struct msg	*next;
};

static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static struct msg	*head, *tail;
static struct job	*jobs;
static int		 pipefd[2] = { -1, -1 };

int
job_init(void)
{
	int	 i;

	if (pipefd[0] >= 0)
		return 0;
	if (pipe(pipefd) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(pipefd[i], F_SETFL, fcntl(pipefd[i], F_GETFL) |
		    O_NONBLOCK);
		fcntl(pipefd[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

int
job_fd(void)
{
	return pipefd[0];
}

static void
enqueue(struct msg *m)
{
	char	 c = 1;

	pthread_mutex_lock(&lock);
	if (tail != NULL)
		tail->next = m;
	else
		head = m;
	tail = m;
	pthread_mutex_unlock(&lock);
	/* A full pipe already means "wake up": ignore EAGAIN. */
	if (write(pipefd[1], &c, 1) < 0 && errno != EAGAIN) {
		/* nothing else to do */
	}
}

static void *
job_main(void *p)
{
	struct job	*j = p;
	struct msg	*m = xcalloc(1, sizeof *m);

	j->fn(j, j->arg);
	m->job = j;
	enqueue(m);
	return NULL;
}

struct job *
job_start(job_fn fn, void *arg, job_msg_fn done)
{
	struct job	*j = xcalloc(1, sizeof *j);

	j->fn = fn;
	j->arg = arg;
	j->done = done;
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		free(j);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	j->next = jobs;
	jobs = j;
	pthread_mutex_unlock(&lock);
	return j;
}

void
job_post(struct job *j, job_msg_fn fn, void *data)
{
	struct msg	*m = xcalloc(1, sizeof *m);

	(void)j;
	m->fn = fn;
	m->data = data;
	enqueue(m);
}

void
job_cancel(struct job *j)
{
	if (j != NULL)
		j->cancelled = 1;
}

int
job_cancelled(const struct job *j)
{
	return j != NULL && j->cancelled;
}

int
job_cancelled_cb(void *j)
{
	return job_cancelled(j);
}

int
job_running(void)
{
	int	 r;

	pthread_mutex_lock(&lock);
	r = jobs != NULL;
	pthread_mutex_unlock(&lock);
	return r;
}

static void
job_reap(struct wizard *w, struct job *j)
{
	struct job	**pp;

	pthread_join(j->thread, NULL);
	pthread_mutex_lock(&lock);
	for (pp = &jobs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	pthread_mutex_unlock(&lock);
	if (j->done != NULL)
		j->done(w, j->arg);
	free(j);
}

int
job_dispatch(struct wizard *w)
{
	char		 buf[64];
	struct msg	*m;
	int		 n = 0;

	while (read(pipefd[0], buf, sizeof buf) > 0)
		;
	for (;;) {
		pthread_mutex_lock(&lock);
		m = head;
		if (m != NULL) {
			head = m->next;
			if (head == NULL)
				tail = NULL;
		}
		pthread_mutex_unlock(&lock);
		if (m == NULL)
			break;
		if (m->job != NULL)
			job_reap(w, m->job);
		else
			m->fn(w, m->data);
		free(m);
		n++;
	}
	return n;
}

void
job_shutdown(struct wizard *w)
{
	struct job	*j;

	pthread_mutex_lock(&lock);
	for (j = jobs; j != NULL; j = j->next)
		j->cancelled = 1;
	pthread_mutex_unlock(&lock);
	while (job_running()) {
		struct timespec ts = { 0, 10000000L };

		job_dispatch(w);
		nanosleep(&ts, NULL);
	}
	job_dispatch(w);
}
