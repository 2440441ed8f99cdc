/*
 * demo_scenarios.c: the table of demo worlds (see demo_scenarios.h).
 */
#include <string.h>

#include "demo_scenarios.h"
#include "i18n.h"

static const struct demo_scenario scenarios[] = {
	{ "happy", NULL,
	  N_("everything works: the whole journey to a streamed answer") },
	{ "no-credentials", "credentials",
	  N_("no credentials are configured anywhere in the chain") },
	{ "wrong-region", "region",
	  N_("the chosen model is not offered in the chosen Region") },
	{ "iam-denied", "iam",
	  N_("the identity's policy does not allow bedrock:InvokeModel") },
	{ "terms-pending", "terms",
	  N_("the Anthropic use-case form has not been submitted") },
	{ "needs-profile", "region",
	  N_("the model is only offered through an inference profile") },
	{ "throttled", "invoke",
	  N_("every call is throttled: the quota is exhausted") },
	{ NULL, NULL, NULL }
};

const struct demo_scenario *
demo_scenarios(void)
{
	return scenarios;
}

const struct demo_scenario *
demo_scenario_find(const char *name)
{
	const struct demo_scenario	*s;

	if (name == NULL)
		return NULL;
	for (s = scenarios; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}
