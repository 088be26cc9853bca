/*
 * The HTTP API (`fangkong serve`, docs/API.md): JSON over HTTP/1.1 under /v1 on libmicrohttpd.
 * Many readers, one writer: every write goes through the writer thread (writer.c), which takes
 * the queued entrance checks in batches and commits each batch in one transaction; a request is
 * answered only after its batch has committed. Errors are RFC 9457 problem details.
 */
#ifndef FK_SERVER_H
#define FK_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "fangkong/entrance.h"
#include "fangkong/error.h"
#include "fangkong/ingest.h"
#include "fangkong/rules.h"
#include "fangkong/time.h"
#include "fangkong/token_store.h"
#include "present/present.h"
#include "server/serve.h"

struct fk_store;

/* ---- request bodies (body.c; no HTTP in it, so fuzz/fuzz_body.c reaches it whole) ---- */

#define FK__ID_MAX 64

/* An entrance check as posted: {"person_id", "place_id", "temperature", "mask", "at"?}. */
struct fk__entrance_req {
  char person_id[FK__ID_MAX + 1];
  char place_id[FK__ID_MAX + 1];
  double temperature; /* degrees Celsius, 30..45 */
  int mask;           /* 1: wears a mask */
  fk_time at;         /* FK_TIME_NONE when the body gave none (the server's clock then) */
};

/*
 * Parses an entrance-check body of n bytes at buf (borrowed; need not be NUL-terminated) into
 * out (caller-owned). Returns 0, or FK_EINVAL with why (caller's buffer of whysz bytes) naming
 * the field and what is wrong: malformed JSON (with line and column), not an object, a field
 * missing, of the wrong type or out of range, an unknown field.
 */
int fk__entrance_body_parse(const char *buf, size_t n, struct fk__entrance_req *out, char *why,
                            size_t whysz);

/* The two ways fk__entrance_body_parse reads: the plain form a device sends, without a JSON
 * tree (body_fast.c: 1 when it took the body, which is then valid; 0 when it leaves the body to
 * the full parser, out then meaningless), and jansson's tree (as fk__entrance_body_parse). */
int fk__entrance_body_fast(const char *buf, size_t n, struct fk__entrance_req *out);
int fk__entrance_body_full(const char *buf, size_t n, struct fk__entrance_req *out, char *why,
                           size_t whysz);

/*
 * The person person_id (borrowed) as token (borrowed) may see it, as of now: fk__person_json with
 * "name", "id_number", "phone" (masked unless the role is grid or epidemiologist) and "masked".
 * *out gets a new reference. Returns 0, FK_ENOTFOUND (unknown, or outside the token's node),
 * FK_ENOMEM or FK_ESTORE (diag says why).
 */
int fk__person_read(struct fk_store *st, const struct fk_rules *rules, const char *person_id,
                    const struct fk_token_row *token, fk_time now, json_t **out,
                    struct fk_diag *diag);

/* Sets *in to 1 when the token t (borrowed) may see person (internal id): the person's home grid
 * lies in t's node; for a site token, the person stays at t's site now. Returns 0 or
 * FK_ESTORE. */
int fk__token_sees_person(struct fk_store *st, const struct fk_token_row *t, int64_t person,
                          int *in);

/* Sets *in to 1 when the token t may see and change task (both borrowed): the task's unit lies
 * in t's node; for a site token, the task is its site's (the unit is the site) or its person
 * stays at the site now. Returns 0 or FK_ESTORE. */
int fk__token_sees_task(struct fk_store *st, const struct fk_token_row *t,
                        const struct fk_task_row *task, int *in);

/*
 * Parses the body of POST /v1/alerts/{id}/verify, {"verdict": "outbreak"|"not_outbreak"|
 * "watch", "note"?: "..."}, into *verdict (enum fk_alert_status) and note (notesz bytes; ""
 * without one). Returns 0 or FK_EINVAL with why, as above.
 */
int fk__verify_body_parse(const char *buf, size_t n, int *verdict, char *note, size_t notesz,
                          char *why, size_t whysz);

struct fk__job;

/* Runs a verification job (FK__JOB_VERIFY) on the writer's store st: the alert j->alert, when
 * it lies in j->scope, verified as j->verdict with j->note at j->audit.at, with the audit row;
 * j->answer the alert after. The caller holds the batch's transaction. Returns 0,
 * FK_ENOTFOUND (unknown or outside the node), FK_EINVAL (raised after now), FK_ENOMEM or
 * FK_ESTORE (j->diag says why). */
int fk__verify_run(struct fk_store *st, struct fk__job *j);

/* ---- tokens (token.c) ---- */

/* The tokens seen (token_cache.c): a token's row kept a few seconds after it was read. */
struct fk__token_cache;

/* Makes an empty cache into *out (free with fk__token_cache_free). Returns 0 or FK_ENOMEM. */
int fk__token_cache_new(struct fk__token_cache **out);
void fk__token_cache_free(struct fk__token_cache *c);

/* Fills *out with the token whose hash (hex, borrowed) is hash: from c when read lately, else
 * from st (borrowed) under the lock mu; *until is when the row must be read again (in
 * fk__token_clock seconds). Returns 0, FK_ENOTFOUND or FK_ESTORE. */
int fk__token_find(struct fk__token_cache *c, struct fk_store *st, pthread_mutex_t *mu,
                   const char *hash, struct fk_token_row *out, time_t *until);

/* The clock of token rows' lives: monotonic seconds. */
time_t fk__token_clock(void);

/*
 * Parses the body of POST /v1/tasks/{id}/done, {"proof": "what shows it done"}, copying the
 * proof into proof (proofsz bytes). Returns 0 or FK_EINVAL with why, as above.
 */
int fk__task_body_parse(const char *buf, size_t n, char *proof, size_t proofsz, char *why,
                        size_t whysz);

/* ---- feeds posted to the API (route_feeds.c reads them, feed_store.c stores them) ---- */

#define FK__FEED_REJECTS 20       /* rejects listed in an answer: those of the lowest lines */
#define FK__FEED_ROWS 2000        /* rows in a batch for the writer, at most */
#define FK__FEED_TEXT (256 << 10) /* bytes of text in a batch before it goes to the writer */

struct fk__feed_reject {
  long line;
  char field[64];
  char reason[512];
};

/* The first rejects of a post, by line. */
struct fk__feed_rejects {
  int n;
  struct fk__feed_reject r[FK__FEED_REJECTS];
};

/* Keeps the reject of line (why says field and reason; borrowed) when it is among the
 * FK__FEED_REJECTS lowest lines seen. */
void fk__feed_reject_add(struct fk__feed_rejects *l, long line, const struct fk_diag *why);

/* Rows of a post, validated by the request's thread, for the writer to store. */
struct fk__feed_batch {
  const struct fk_feed *feed;
  int64_t scope; /* the token's node: rows outside it are rejected, never stored; 0: the city */
  int64_t site;  /* a site token's site: its sites and rooms rows must name it; else 0 */
  int n;         /* rows */
  long line[FK__FEED_ROWS];
  struct fk_value *rows; /* row i is rows[i * feed->ncols ...], its text in text */
  char *text;
  size_t used;
  int final;                     /* the post's last: the writer appends the post's audit row */
  struct fk_import_stats before; /* final: the post's tally before this batch (for the audit) */
  struct fk_import_stats stats;  /* the writer's tally of this batch: stored, duplicate, rejected */
  struct fk__feed_rejects rejects; /* the writer's rejects of this batch */
};

struct fk__job;

/*
 * The writer's part of a post: stores job->batch in the writer's transaction (a savepoint of
 * it), each row first placed in the token's node, then fk_store_put and tallied as `fangkong
 * import` tallies; the final batch appends the post's audit row (job->audit: who, the feed,
 * how many rows). Returns 0, or FK_ESTORE / FK_ENOMEM with job->diag saying why (the batch's
 * rows rolled back).
 */
int fk__feed_store(struct fk_store *st, struct fk__job *j);

/* ---- the writer thread (writer.c) ---- */

struct fk__writer;

/* One queued check; the caller owns it and keeps it alive until done is set. */
struct fk__job {
  enum {
    FK__JOB_CHECK,
    FK__JOB_AUDIT,
    FK__JOB_ACK,
    FK__JOB_DONE,
    FK__JOB_FAIL,
    FK__JOB_VERIFY,
    FK__JOB_FEED
  } kind;
  /* AUDIT: a read's row; FEED: rows of a posted feed (batch) */
  int64_t task;                 /* ACK, DONE, FAIL: the task */
  int64_t alert;                /* VERIFY: the alert */
  int verdict;                  /* VERIFY: enum fk_alert_status */
  char note[256];               /* VERIFY: the officer's note ("" none) */
  struct fk__feed_batch *batch; /* FEED: borrowed until done */
  char proof[128];              /* DONE: what shows it done */
  char *answer; /* ACK, DONE: the task after; VERIFY: the alert after; JSON (jansson's; free()) */
  struct fk__entrance_req req;
  int64_t scope;                    /* region the place must lie in; 0: anywhere */
  int64_t site;                     /* a site token's site (it sees what stays there), else 0 */
  struct fk_audit_row audit;        /* who asks and from where; the writer fills what and when */
  int rc;                           /* 0, or a FK_E* code (then diag says why) */
  struct fk_entrance_result result; /* when rc is 0 */
  struct fk_diag diag;
  void (*done)(struct fk__job *job); /* called by the writer thread after the commit */
  void *arg;                         /* for done */
  struct fk__job *next;              /* the queue's link */
};

/*
 * Starts the writer over st and rules (both borrowed; the writer is then the store's only user
 * until fk__writer_stop). Returns 0, FK_ENOMEM or FK_EIO (no thread).
 */
int fk__writer_start(struct fk_store *st, const struct fk_rules *rules, struct fk__writer **out);

/* Queues job; job->done is called once its batch committed (or failed), by the writer's
 * thread. */
void fk__writer_post(struct fk__writer *w, struct fk__job *job);

/* Runs batch (jobs linked by next) now, in the calling thread, as one group commit (waiting
 * while another thread's batch runs): each job's done is called before this returns. */
void fk__writer_run(struct fk__writer *w, struct fk__job *batch);

/* Finishes every queued job, then stops the thread and frees w. */
void fk__writer_stop(struct fk__writer *w);

/* Calls fn(arg) on the writer thread after each committed batch that changed the store (more
 * than audit rows): how the trace index learns of new check-ins. Set before the first post. */
void fk__writer_on_commit(struct fk__writer *w, void (*fn)(void *arg), void *arg);

/* ---- the trace index held by the server (tracing.c) ---- */

struct fk__tracing;

/*
 * Opens a connection of its own to the store at db (borrowed), builds the trace index over it
 * under rules (borrowed for the index's lifetime) and starts the refresher, which refreshes the
 * index incrementally when poked (fk__tracing_poke), at most once every gap_ms milliseconds.
 * *out owns it all (fk__tracing_stop). Returns 0, FK_ENOMEM, FK_ESTORE or FK_EIO (diag says
 * why); nothing is left running on failure.
 */
int fk__tracing_start(const char *db, const struct fk_rules *rules, unsigned gap_ms,
                      struct fk__tracing **out, struct fk_diag *diag);

/* Asks for a refresh (arg: the struct fk__tracing); safe from any thread, never blocks long. */
void fk__tracing_poke(void *arg);

/* Stops the refresher and frees t (NULL is fine). */
void fk__tracing_stop(struct fk__tracing *t);

/* The number of check-ins in the index now. */
long fk__tracing_checkins(struct fk__tracing *t);

/*
 * The contacts of case person_id (borrowed) as of now to depth (1 or 2), merged to one row a
 * contact when merge: exactly what `fangkong trace --case ID --format json [--merge]` prints,
 * into *out (n bytes and a NUL, malloc'd: the caller free()s it). Under the index's read lock.
 * Returns 0; FK_ENOTFOUND when the person is not a case (in the index); FK_EINVAL when now is
 * FK_TIME_NONE and the trace needs it (depth 2, or a case not isolated); FK_ENOMEM. diag says
 * why.
 */
int fk__tracing_contacts(struct fk__tracing *t, const char *person_id, fk_time now, int depth,
                         int merge, char **out, size_t *n, struct fk_diag *diag);

/* Writes the refresher's counters in Prometheus text format into buf (size bytes); returns the
 * length. */
size_t fk__tracing_metrics_text(char *buf, size_t size);

/* ---- metrics (metrics.c): counters read by GET /v1/metrics ---- */

struct fk__metrics {
  uint64_t requests[6];       /* by status class: [2] 2xx, [4] 4xx, [5] 5xx */
  uint64_t checks;            /* entrance checks answered 200 */
  uint64_t checks_pass;       /* of which passed */
  uint64_t checks_unanswered; /* stored, but the client closed before its answer */
  uint64_t batches;           /* committed batches */
  uint64_t batched;           /* checks in those batches */
  uint64_t batch_max;         /* the largest batch */
  uint64_t inflight;          /* requests being served now */
  uint64_t latency_us;        /* sum of answer times */
};

extern struct fk__metrics fk__metrics;

/* Adds v to the counter c, safely from any thread. */
void fk__metric_add(uint64_t *c, uint64_t v);
/* Raises *c to v when v is larger, safely from any thread. */
void fk__metric_max(uint64_t *c, uint64_t v);
/* Writes the counters in Prometheus text format into buf (size bytes); returns the length. */
size_t fk__metrics_text(char *buf, size_t size);

#endif
