/*
 * A request loop's state shared by the daemon (http.c) and the answers (reply.c): the jobs its
 * turn queued, which the loop commits when the turn ends, and the ended requests it keeps for
 * the next ones. The two calls on it (fk__loop_queue, fk__req_end: declared in request.h) live
 * in completion.c, a leaf, so that reply.c need not call back into http.c, which routes to it.
 */
#ifndef FK_SERVER_COMPLETION_H
#define FK_SERVER_COMPLETION_H

#include "server/request.h"

/* Ended requests a loop keeps for the next ones (each is 8 KB, mostly the reasons' texts). */
#define SPARES 64

/* A request loop: a thread, its daemon, and the jobs its current turn queued. */
struct fk__loop {
  struct fk__server *srv;
  struct MHD_Daemon *d;
  pthread_t thread;
  int started;
  struct fk__job *head, **tail;  /* touched by the loop's thread only */
  struct fk__req *spare[SPARES]; /* ended requests, reused (the loop's thread only) */
  int nspare;
};

#endif
