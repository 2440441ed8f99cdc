/*
 * doctor.h: the doctor subcommand.
 */
#ifndef BS_CLI_DOCTOR_H
#define BS_CLI_DOCTOR_H

struct global_opts;

int	 cmd_doctor(struct global_opts *, int argc, char **argv);

#endif
