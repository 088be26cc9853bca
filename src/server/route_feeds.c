/*
 * POST /v1/feeds/{kind}: a feed file as the body -- CSV (Content-Type: text/csv) or NDJSON
 * (application/x-ndjson) -- with the validation, rejects and idempotence of `fangkong import`,
 * read as it comes and never held whole. The request's thread reads each piece with the push
 * reader (ingest/push.c) and validates each record (fk__feed_validate) into a batch; a full
 * batch goes to the writer, which stores it in its transaction (feed_store.c) while the next
 * one fills. So at most two batches and one incomplete record are held, and the writer is never
 * held longer than a batch. The answer -- read, stored, duplicate, rejected, the first rejects
 * -- comes once every batch has committed, the post's audit row with the last.
 *
 * libmicrohttpd 0.9.75 aborts when a connection with data still to read is resumed under epoll
 * ("Resumed connection was already in EREADY set"), so while the body comes a request whose
 * two batches are both full waits for the writer in its own thread; only at the end, with the
 * body all read, is the connection suspended until the last batch commits.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "ingest/push.h"
#include "server/request.h"

/* Which feeds each role may post (bit 1 << enum fk_feed_id); docs/API.md says why. */
#define K(f) (1u << FK_FEED_##f)
#define REGIONAL                                                                                   \
  (K(PERSONS) | K(PLACES) | K(CHECKINS) | K(SAMPLES) | K(ARRIVALS) | K(VACCINATIONS) | K(DUTY) |   \
   K(CLINIC_VISITS) | K(PHARMACY_SALES) | K(SCHOOL_ABSENCES) | K(COUNTS))
static const unsigned may_post[FK_ROLE_COUNT] = {
    [FK_ROLE_CITY] = ~0u,
    [FK_ROLE_DISTRICT] = REGIONAL,
    [FK_ROLE_STREET] = REGIONAL,
    [FK_ROLE_COMMUNITY] = REGIONAL,
    [FK_ROLE_GRID] = K(PERSONS) | K(PLACES) | K(ARRIVALS) | K(DUTY),
    [FK_ROLE_SITE] = K(SITES) | K(ROOMS),
    [FK_ROLE_EPIDEMIOLOGIST] = ~0u,
    [FK_ROLE_ENTRANCE] = K(CHECKINS),
};

struct post {
  const struct fk_feed *feed;
  int started;     /* accepted: reading */
  unsigned status; /* not 0: refused, or stopped (413), answered so once the body is read */
  char detail[1100];
  struct fk__push push;
  struct fk__feed_batch b[2];
  struct fk__job job[2];
  int fill;      /* the batch being filled; the other may be with the writer */
  int posted[2]; /* with the writer or back, not yet counted */
  int busy;      /* a batch is with the writer (under mu) */
  int waiting;   /* the connection is suspended until it comes back (under mu) */
  int final;     /* the last batch was posted */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct fk_import_stats total;
  struct fk__feed_rejects rejects;
  size_t bytes;
  int failed; /* reading or storing failed (diag says why); the rest is not read */
  struct fk_diag diag;
};

/* The writer's callback: a batch is back. The connection, if it waits, is resumed last: from
 * then on the request may end and free the post. */
static void batch_done(struct fk__job *j)
{
  struct fk__req *r = j->arg;
  struct post *p = r->stream_state;
  struct MHD_Connection *c = r->c;
  int resume;
  pthread_mutex_lock(&p->mu);
  p->busy = 0;
  resume = p->waiting;
  p->waiting = 0;
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
  if (resume) MHD_resume_connection(c);
}

/* Counts batch i, back from the writer, into the post's tally (under mu). */
static void collect(struct post *p, int i)
{
  struct fk__feed_batch *b = &p->b[i];
  if (!p->posted[i]) return;
  p->posted[i] = 0;
  p->total.stored += b->stats.stored;
  p->total.duplicate += b->stats.duplicate;
  p->total.rejected += b->stats.rejected;
  for (int k = 0; k < b->rejects.n; k++) {
    struct fk_diag why;
    fk_diag_clear(&why);
    snprintf(why.field, sizeof why.field, "%s", b->rejects.r[k].field);
    snprintf(why.reason, sizeof why.reason, "%s", b->rejects.r[k].reason);
    fk__feed_reject_add(&p->rejects, b->rejects.r[k].line, &why);
  }
  if (p->job[i].rc && !p->failed) {
    p->failed = p->job[i].rc;
    p->diag = p->job[i].diag;
  }
}

/* Hands the batch being filled to the writer, once the other is back (under mu). */
static void post_batch(struct fk__req *r, struct post *p, int final)
{
  int i = p->fill;
  struct fk__job *j = &p->job[i];
  memset(j, 0, sizeof *j);
  j->kind = FK__JOB_FEED;
  j->batch = &p->b[i];
  j->done = batch_done;
  j->arg = r;
  p->b[i].final = final;
  if (final) {
    p->b[i].before = p->total;
    fk__who(r, &j->audit);
    snprintf(j->audit.action, sizeof j->audit.action, "POST /v1/feeds/{kind}");
  }
  p->posted[i] = 1;
  p->busy = 1;
  p->fill = !i;
  p->b[p->fill].n = 0;
  p->b[p->fill].used = 0;
  fk__writer_post(r->srv->writer, j);
}

/* Waits (in this thread) until no batch is with the writer, and counts what came back. */
static void wait_writer(struct post *p)
{
  pthread_mutex_lock(&p->mu);
  while (p->busy)
    pthread_cond_wait(&p->cv, &p->mu);
  collect(p, 0);
  collect(p, 1);
  pthread_mutex_unlock(&p->mu);
}

/* The batch is full: to the writer, after the one before it is back. */
static void hand_over(struct fk__req *r, struct post *p)
{
  wait_writer(p);
  pthread_mutex_lock(&p->mu);
  post_batch(r, p, 0);
  pthread_mutex_unlock(&p->mu);
}

/* Copies a validated row, its text too, into the batch being filled. */
static void add_row(struct post *p, long line, const struct fk_value *row)
{
  struct fk__feed_batch *b = &p->b[p->fill];
  int ncols = p->feed->ncols;
  struct fk_value *dst = b->rows + (size_t)b->n * (size_t)ncols;
  for (int c = 0; c < ncols; c++) {
    dst[c] = row[c];
    if (!row[c].present || !row[c].n) continue;
    memcpy(b->text + b->used, row[c].s, row[c].n);
    dst[c].s = b->text + b->used;
    b->used += row[c].n;
  }
  b->line[b->n++] = line;
}

/* Reads and validates every complete record held, handing full batches over. */
static void read_records(struct fk__req *r, struct post *p)
{
  struct fk__record rec;
  struct fk_value row[FK_FEED_MAXCOLS];
  struct fk_diag why;
  int got, rc;
  while (!p->failed) {
    fk_diag_clear(&why);
    if (!(got = fk__push_next(&p->push, &rec, &why))) return;
    if (got == FK_ENOMEM || p->push.broken) {
      p->failed = got;
      p->diag = why;
      p->diag.line = 0; /* the header's: "the CSV header" says which line */
      return;
    }
    p->total.read++;
    if ((rc = got) == 1 && !(rc = fk__feed_validate(p->feed, &rec, row, &why))) {
      add_row(p, rec.line, row);
      if (p->b[p->fill].n == FK__FEED_ROWS || p->b[p->fill].used >= FK__FEED_TEXT) hand_over(r, p);
    } else if (fk__ingest_tally(&p->total, rc) > 0) {
      fk__feed_reject_add(&p->rejects, rec.line, &why);
    }
  }
}

/* The media type of the body: 0 CSV, 1 NDJSON, -1 another. */
static int media(struct fk__req *r)
{
  const char *v = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "Content-Type");
  size_t n = v ? strcspn(v, "; \t") : 0;
  if (n == 8 && !strncasecmp(v, "text/csv", n)) return 0;
  if ((n == 20 && !strncasecmp(v, "application/x-ndjson", n)) ||
      (n == 18 && !strncasecmp(v, "application/ndjson", n)))
    return 1;
  return -1;
}

/* The batches' memory: rows, and text enough for one more record past FK__FEED_TEXT. */
static int batches_new(struct post *p)
{
  size_t ncols = (size_t)p->feed->ncols;
  for (int i = 0; i < 2; i++) {
    p->b[i].feed = p->feed;
    if (!(p->b[i].rows = fk_malloc(FK__FEED_ROWS * ncols * sizeof *p->b[i].rows)) ||
        !(p->b[i].text = fk_malloc(FK__FEED_TEXT + FK__RECORD_MAX + ncols * FK__NUMBER_MAX)))
      return FK_ENOMEM;
  }
  return 0;
}

/* Decides whether the post may go on: the kind, the role, the body's type. */
static void admit(struct fk__req *r, struct post *p, const char *url)
{
  const char *kind = url + strlen("/v1/feeds/");
  int ndjson;
  if (!(p->feed = fk_feed_find(kind))) {
    p->status = MHD_HTTP_NOT_FOUND;
    snprintf(p->detail, sizeof p->detail,
             "no feed %.64s (grids, persons, places, sites, rooms, checkins, cases, samples, "
             "arrivals, vaccinations, pings, duty, clinic_visits, pharmacy_sales, "
             "school_absences, counts)",
             kind);
  } else if (!(may_post[r->token.role] & (1u << p->feed->id))) {
    p->status = MHD_HTTP_FORBIDDEN;
    snprintf(p->detail, sizeof p->detail, "a %s token may not post %s (docs/API.md)",
             fk_roles[r->token.role], p->feed->name);
  } else if ((ndjson = media(r)) < 0) {
    p->status = MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
    snprintf(p->detail, sizeof p->detail,
             "send the feed as Content-Type: text/csv or application/x-ndjson");
  } else if (batches_new(p)) {
    p->status = MHD_HTTP_SERVICE_UNAVAILABLE;
    snprintf(p->detail, sizeof p->detail, "out of memory");
  } else {
    p->b[0].scope = p->b[1].scope = r->token.scope;
    p->b[0].site = p->b[1].site = r->token.site;
    fk__push_init(&p->push, p->feed, ndjson);
    p->started = 1;
  }
}

static void post_free(struct fk__req *r)
{
  struct post *p = r->stream_state;
  if (p->started) wait_writer(p); /* the client left half-way: the writer may hold a batch */
  fk__push_free(&p->push);
  for (int i = 0; i < 2; i++) {
    fk_free(p->b[i].rows);
    fk_free(p->b[i].text);
  }
  pthread_cond_destroy(&p->cv);
  pthread_mutex_destroy(&p->mu);
  fk_free(p);
  r->stream_state = NULL;
}

/* The post's state, at its first call; NULL when out of memory. */
static struct post *start(struct fk__req *r, const char *url)
{
  struct post *p = fk_calloc(1, sizeof *p);
  if (!p) return NULL;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  r->stream_state = p;
  r->stream_free = post_free;
  if (!(p->status = r->stream_status)) admit(r, p, url);
  return p;
}

/* The tally as JSON members of o. */
static json_t *tally(struct post *p, json_t *o)
{
  json_t *rejects = json_array();
  for (int k = 0; rejects && k < p->rejects.n; k++) {
    const struct fk__feed_reject *x = &p->rejects.r[k];
    json_array_append_new(rejects, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)x->line,
                                             "field", x->field, "reason", x->reason));
  }
  if (!o || !rejects ||
      json_object_update_new(o, json_pack("{s:s, s:I, s:I, s:I, s:I}", "feed", p->feed->name,
                                          "read", (json_int_t)p->total.read, "stored",
                                          (json_int_t)p->total.stored, "duplicate",
                                          (json_int_t)p->total.duplicate, "rejected",
                                          (json_int_t)p->total.rejected)) ||
      json_object_set_new(o, "rejects", rejects)) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* The answer, once the last batch is back: the tally, or a problem with it. */
static enum MHD_Result answer(struct fk__req *r, struct post *p, const char *url)
{
  char msg[1024];
  unsigned status = p->status                ? p->status
                    : p->failed == FK_ENOMEM ? MHD_HTTP_SERVICE_UNAVAILABLE
                    : p->failed == FK_ESTORE ? MHD_HTTP_SERVICE_UNAVAILABLE
                    : p->failed              ? MHD_HTTP_UNPROCESSABLE_CONTENT
                                             : MHD_HTTP_OK;
  if (status == MHD_HTTP_OK)
    return fk__answer_json(r, status, tally(p, json_object()), "application/json");
  if (p->failed) {
    fk_diag_format(&p->diag, msg, sizeof msg);
    snprintf(p->detail, sizeof p->detail, "%s%s",
             p->failed == FK_ENOMEM || p->failed == FK_ESTORE ? "" : "the CSV header: ", msg);
  }
  return fk__answer_json(r, status, tally(p, fk__problem_json(status, url, p->detail)),
                         "application/problem+json");
}

/* The end of the body: the rest read, the last batch posted with the audit row, and once it is
 * back the answer. Suspends the connection while the writer has a batch. */
static enum MHD_Result finish(struct fk__req *r, struct post *p, const char *url)
{
  pthread_mutex_lock(&p->mu);
  if (p->busy) {
    p->waiting = 1;
    MHD_suspend_connection(r->c);
    pthread_mutex_unlock(&p->mu);
    return MHD_YES;
  }
  collect(p, 0);
  collect(p, 1);
  pthread_mutex_unlock(&p->mu);
  if (p->final) return answer(r, p, url);
  if (!p->status) {
    fk__push_end(&p->push);
    read_records(r, p);
    wait_writer(p); /* a batch handed over just now: short, the body is read */
  }
  pthread_mutex_lock(&p->mu);
  if (p->failed == FK_ESTORE) p->b[p->fill].n = 0; /* the audit row only, if it can be */
  post_batch(r, p, 1);
  p->final = 1;
  p->waiting = 1;
  MHD_suspend_connection(r->c);
  pthread_mutex_unlock(&p->mu);
  return MHD_YES;
}

enum MHD_Result fk__route_feed_piece(struct fk__req *r, const char *url, const char *method,
                                     const char *data, size_t *size)
{
  struct post *p = r->stream_state;
  (void)method; /* admitted at the start (r->stream_status) */
  if (!p && !(p = start(r, url))) return MHD_NO;
  if (!*size && !p->started) {
    r->stream = NULL; /* refused before it began: answered by the routing (fk__route_feed) */
    return MHD_YES;
  }
  if (!*size) return finish(r, p, url);
  if (p->started && !p->status && !p->failed) {
    p->bytes += *size;
    if (p->bytes > r->srv->o->max_feed) {
      p->status = MHD_HTTP_CONTENT_TOO_LARGE;
      snprintf(p->detail, sizeof p->detail,
               "the feed is larger than %zu bytes (--max-feed): the rows before were handled; "
               "post the rest apart",
               r->srv->o->max_feed);
    } else if (fk__push_add(&p->push, data, *size)) {
      p->failed = fk_diag_set(&p->diag, FK_ENOMEM, NULL, "out of memory");
    } else {
      read_records(r, p);
    }
  }
  *size = 0; /* taken, or let go when the post is refused */
  return MHD_YES;
}

/* Reached through fk__route only for a post refused before it began (its kind, the role, the
 * body's type): says why. */
enum MHD_Result fk__route_feed(struct fk__req *r, const char *url)
{
  struct post *p = r->stream_state;
  if (!p) return fk__problem(r, MHD_HTTP_NOT_FOUND, url, "no such resource");
  return fk__problem(r, p->status, url, "%s", p->detail);
}
