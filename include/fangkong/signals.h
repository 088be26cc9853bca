/*
 * Signals (多点触发监测): the line lists and counts the command office receives from many points,
 * counted per day and region at any level of the hierarchy, as series for aberration detection.
 *
 * Channels, and what one counts:
 *   fever_clinic        a fever-clinic visit (clinic_visits), at the visitor's home grid
 *   pharmacy_CLASS      a real-name sale of drug class CLASS (fever, cough, antiviral,
 *                       antibiotic, cold; pharmacy_sales), at the buyer's home grid
 *   school_absence      the sick absences of a school's class (school_absences), at the school
 *   entrance_fever      an entrance check that found a fever (entrance_checks), at the place
 *   positive            a person with a positive single-tube sample that day (samples), at
 *                       the home grid
 *   positive_pool       a positive pooled sample (10-in-1 混采), once per pool, at the grid of
 *                       its first member
 *   any other name      the counts reported for that channel (counts.csv), at their region
 * A count at a grid rolls up to its community, street, district and the city; a count reported
 * for a region above the asked level cannot be split down and is left out.
 */
#ifndef FANGKONG_SIGNALS_H
#define FANGKONG_SIGNALS_H

#include "fangkong/export.h"

#include <stdint.h>

#include "fangkong/signal_store.h"
#include "fangkong/store.h"
#include "fangkong/time.h"

struct fk_diag;
struct fk_counts;

/*
 * Parses a channel name into its source and argument (the drug class or the counts channel,
 * pointing into channel). Returns 0, or FK_EINVAL for an unknown drug class or a name that is
 * not an identifier ([0-9A-Za-z_.:-], 1-64 bytes).
 */
FK_API int fk_signal_channel(const char *channel, enum fk_signal_source *source, const char **arg);

/*
 * st borrowed; channel a channel name (borrowed); level an enum fk_level; from, to days.
 * The series of channel at level (FK_LEVEL_CITY .. FK_LEVEL_GRID) over days from..to, one per
 * region with a count in that span (the city is one series, region_id "city"), sorted by
 * region_id; a day without a count is 0. from or to FK_DATE_NONE: the first or last day with a
 * count. *out is freed with fk_counts_free; *regions (may be NULL) gets the internal region id
 * of each series (0 for the city), freed with fk_free.
 * Returns 0; FK_ENOTFOUND when nothing was counted (diag says why); FK_EINVAL for a bad channel
 * or level; FK_ERANGE when series x days exceed 2^27; FK_ENOMEM; FK_ESTORE.
 */
FK_API int fk_signal_counts(struct fk_store *st, const char *channel, int level, fk_date from,
                            fk_date to, struct fk_counts **out, int64_t **regions,
                            struct fk_diag *diag);

#endif
