/*
 * A request's way out (see completion.h): its job queued for its loop's commit, and its end.
 * Apart from http.c because reply.c needs both, and http.c calls the routes that call reply.c.
 */
#include <stdlib.h>

#include "fangkong/alloc.h"
#include "server/completion.h"

void fk__loop_queue(struct fk__loop *l, struct fk__job *job)
{
  job->next = NULL;
  *l->tail = job;
  l->tail = &job->next;
}

/* Ends r: kept among its loop's spares (its body's room with it), else freed. */
void fk__req_end(struct fk__req *r)
{
  struct fk__loop *l = r->loop;
  if (r->stream_free) r->stream_free(r);
  free(r->pending); /* jansson's */
  free(r->job.answer);
  if (l->nspare < SPARES) {
    l->spare[l->nspare++] = r;
    return;
  }
  fk_free(r->body);
  fk_free(r);
}
