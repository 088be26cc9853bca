/* fangkong (防控): the whole public API. */
#ifndef FANGKONG_H
#define FANGKONG_H

#include "fangkong/alloc.h"
#include "fangkong/areas.h"
#include "fangkong/briefing.h"
#include "fangkong/companion.h"
#include "fangkong/entrance.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/gen.h"
#include "fangkong/ident.h"
#include "fangkong/ingest.h"
#include "fangkong/measures.h"
#include "fangkong/scan.h"
#include "fangkong/site_store.h"
#include "fangkong/scenario.h"
#include "fangkong/sites.h"
#include "fangkong/store.h"
#include "fangkong/table.h"
#include "fangkong/time.h"

#endif
