/*
 * job.h: slow work off the input loop.
 *
 * A job runs a function on a worker thread (the core's calls are blocking;
 * each job makes its own HTTP client).  Whatever the job wants the screen
 * to see it posts as a message; messages are delivered on the main thread
 * by job_dispatch(), which the loop calls when job_fd() is readable, so
 * screens never share data with a running thread except through posts.
 * Cancelling sets a flag the work checks (a streaming reply stops at the
 * next piece).
 */
#ifndef BS_TUI_JOB_H
#define BS_TUI_JOB_H

struct job;
struct wizard;

/* Runs on the worker thread. */
typedef void	(*job_fn)(struct job *, void *arg);
/* Runs on the main thread with a posted message; frees data itself. */
typedef void	(*job_msg_fn)(struct wizard *, void *data);

/* Set up the message pipe once.  -1 on failure. */
int		 job_init(void);
/* The descriptor to poll for messages. */
int		 job_fd(void);
/*
 * Start fn(job, arg) on a new thread.  done(w, arg) runs on the main
 * thread once fn has returned and every message it posted was delivered.
 * Returns NULL if no thread could be made (then nothing runs).
 */
struct job	*job_start(job_fn fn, void *arg, job_msg_fn done);
/*
 * From any thread: deliver fn(w, data) on the main thread, in order.  The
 * job may be NULL (a hook that does not know its job, such as a retry).
 */
void		 job_post(struct job *, job_msg_fn fn, void *data);
/* Ask the job to stop; it sees job_cancelled() true from now on. */
void		 job_cancel(struct job *);
int		 job_cancelled(const struct job *);
/* job_cancelled() for a void * job, as http_config's cancel hook wants. */
int		 job_cancelled_cb(void *job);
/* Whether any job is still running (spinners). */
int		 job_running(void);
/* Deliver pending messages; returns how many. */
int		 job_dispatch(struct wizard *);
/* Cancel every job and wait for them (on exit). */
void		 job_shutdown(struct wizard *);

#endif
