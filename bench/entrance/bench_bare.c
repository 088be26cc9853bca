/*
 * The baseline of bench/entrance: a bare libmicrohttpd server configured as `fangkong serve` is
 * (thread pool over epoll, the two-phase handler, the body gathered) that answers every request
 * with a constant JSON object, storing nothing. Prints "listening on http://127.0.0.1:PORT";
 * stops on SIGTERM or SIGINT.
 *   bench_bare PORT THREADS
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char answer[] = "{\"decision\":\"pass\",\"reasons\":[],\"code\":\"green\"}";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
  static int first;
  struct MHD_Response *resp;
  enum MHD_Result ok;
  (void)cls, (void)url, (void)method, (void)version, (void)data;
  if (!*con_cls) { /* the first call: state only, so keep-alive holds */
    *con_cls = &first;
    return MHD_YES;
  }
  if (*data_size) {
    *data_size = 0;
    return MHD_YES;
  }
  resp = MHD_create_response_from_buffer(sizeof answer - 1, (void *)answer, MHD_RESPMEM_PERSISTENT);
  if (!resp) return MHD_NO;
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  ok = MHD_queue_response(c, MHD_HTTP_OK, resp);
  MHD_destroy_response(resp);
  return ok;
}

int main(int argc, char **argv)
{
  struct MHD_Daemon *d;
  sigset_t stop;
  int sig;
  if (argc != 3) return fprintf(stderr, "usage: bench_bare PORT THREADS\n"), 2;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
                       (uint16_t)atoi(argv[1]), NULL, NULL, on_request, NULL,
                       MHD_OPTION_THREAD_POOL_SIZE, (unsigned)atoi(argv[2]),
                       MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
  if (!d) return fprintf(stderr, "bench_bare: cannot listen\n"), 1;
  printf("listening on http://127.0.0.1:%s\n", argv[1]);
  fflush(stdout);
  sigwait(&stop, &sig);
  MHD_stop_daemon(d);
  return 0;
}
