/* The stored vocabularies (fangkong/vocab.h): every name the store keeps as text, spelled once. */
#include <stddef.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/vocab.h"

int fk_vocab_index(const char *const *names, const char *name)
{
  for (int i = 0; name && names[i]; i++)
    if (!strcmp(names[i], name)) return i;
  return FK_ENOTFOUND;
}

const char *const fk_place_kinds[] = {"supermarket",
                                      "market",
                                      "restaurant",
                                      "office",
                                      "factory",
                                      "school",
                                      "hospital",
                                      "fever_clinic",
                                      "pharmacy",
                                      "bus",
                                      "metro",
                                      "railway_station",
                                      "airport",
                                      "hotel",
                                      "gym",
                                      "cinema",
                                      "theatre",
                                      "park",
                                      "scenic_spot",
                                      "mall",
                                      "bank",
                                      "government",
                                      "construction_site",
                                      "cold_store",
                                      "kindergarten",
                                      "university",
                                      "residential",
                                      NULL};
const char *const fk_room_kinds[] = {"single", "family", "accessible", NULL};
const char *const fk_syndromes[] = {"fever",     "respiratory", "fever_respiratory",
                                    "diarrhoea", "other",       NULL};
const char *const fk_drug_classes[] = {"fever", "cough", "antiviral", "antibiotic", "cold", NULL};

const char *const fk_levels[] = {"city", "district", "street", "community", "grid", NULL};
const char *const fk_categories[] = {"general", "close", NULL};

const char *const fk_person_cats[] = {"case",
                                      "close_contact",
                                      "secondary_contact",
                                      "inbound_international",
                                      "high_risk_area",
                                      "medium_risk_area",
                                      "low_risk_area",
                                      "companion",
                                      NULL};
const char *const fk_measure_kinds[] = {"hospital",
                                        "centralized_quarantine",
                                        "home_quarantine",
                                        "home_health_monitoring",
                                        "three_days_two_tests",
                                        NULL};
const char *const fk_measure_statuses[] = {"active", "released", "superseded", NULL};
const char *const fk_test_statuses[] = {"due", "done", "missed", "positive", NULL};

const char *const fk_area_levels[] = {"low", "medium", "high", NULL};
const char *const fk_area_kinds[] = {"grid", "district", NULL};
const char *const fk_codes[] = {"green", "yellow", "red", NULL};

const char *const fk_task_kinds[] = {"notify", "transfer", "sample", "release", NULL};
const char *const fk_task_statuses[] = {"created",   "due", "acknowledged", "done", "failed",
                                        "cancelled", NULL};
const char *const fk_alert_statuses[] = {"open", "outbreak", "not_outbreak", "watch", NULL};
const char *const fk_detect_methods[] = {
    "threshold",  "cidars-mpm",          "ears-c1", "ears-c2", "ears-c3", "cusum",
    "farrington", "farrington-noufaily", NULL};

const char *const fk_entrance_reasons[] = {"fever",    "no_mask",  "code_green",  "code_yellow",
                                           "code_red", "area_low", "area_medium", "area_high",
                                           "confined", NULL};
const char *const fk_entrance_decisions[] = {"deny", "pass", NULL};
const char *const fk_roles[] = {"city", "district",       "street",   "community", "grid",
                                "site", "epidemiologist", "entrance", NULL};
