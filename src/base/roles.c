/* The roles of API tokens (fangkong/tokens.h). */
#include <stddef.h>

#include "fangkong/tokens.h"

const char *const fk_roles[] = {"city", "district",       "street",   "community", "grid",
                                "site", "epidemiologist", "entrance", NULL};
