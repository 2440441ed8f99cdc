/*
 * demo_scenarios.h: the named worlds of the demo account (--demo=NAME).
 *
 * Each scenario makes one gate fail on purpose, so a workshop can see
 * what each failure looks like and how it is fixed.  "happy" is the world
 * where everything works; it is what a bare --demo runs.
 */
#ifndef BS_DEMO_SCENARIOS_H
#define BS_DEMO_SCENARIOS_H

#include <stddef.h>

struct demo_scenario {
	const char	*name;		/* as typed after --demo= */
	const char	*gate;		/* the gate it fails, or NULL */
	const char	*summary;	/* N_()-marked, for --demo=list */
};

/* The table, ended by an entry whose name is NULL. */
const struct demo_scenario	*demo_scenarios(void);
/* The scenario called name, or NULL. */
const struct demo_scenario	*demo_scenario_find(const char *name);

#endif
