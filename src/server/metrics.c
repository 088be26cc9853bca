/* The server's counters, and their Prometheus text exposition (GET /v1/metrics). */
#include <stdio.h>

#include "server/server.h"

struct fk__metrics fk__metrics;

void fk__metric_add(uint64_t *c, uint64_t v)
{
  __atomic_add_fetch(c, v, __ATOMIC_RELAXED);
}

void fk__metric_max(uint64_t *c, uint64_t v)
{
  uint64_t old = __atomic_load_n(c, __ATOMIC_RELAXED);
  while (v > old && !__atomic_compare_exchange_n(c, &old, v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
    ;
}

static uint64_t get(const uint64_t *c)
{
  return __atomic_load_n(c, __ATOMIC_RELAXED);
}

size_t fk__metrics_text(char *buf, size_t size)
{
  const struct fk__metrics *m = &fk__metrics;
  int n = snprintf(
      buf, size,
      "# HELP fangkong_http_requests_total Requests answered, by status class.\n"
      "# TYPE fangkong_http_requests_total counter\n"
      "fangkong_http_requests_total{class=\"2xx\"} %llu\n"
      "fangkong_http_requests_total{class=\"4xx\"} %llu\n"
      "fangkong_http_requests_total{class=\"5xx\"} %llu\n"
      "# HELP fangkong_http_inflight Requests being served now.\n"
      "# TYPE fangkong_http_inflight gauge\n"
      "fangkong_http_inflight %llu\n"
      "# HELP fangkong_http_latency_seconds_sum Time from a request's first byte to its answer.\n"
      "# TYPE fangkong_http_latency_seconds_sum counter\n"
      "fangkong_http_latency_seconds_sum %.6f\n"
      "# HELP fangkong_entrance_checks_total Entrance checks stored and answered 200.\n"
      "# TYPE fangkong_entrance_checks_total counter\n"
      "fangkong_entrance_checks_total %llu\n"
      "# HELP fangkong_entrance_checks_pass_total Of those, the ones that passed.\n"
      "# TYPE fangkong_entrance_checks_pass_total counter\n"
      "fangkong_entrance_checks_pass_total %llu\n"
      "# HELP fangkong_entrance_checks_unanswered_total Stored, the client gone before the "
      "answer.\n"
      "# TYPE fangkong_entrance_checks_unanswered_total counter\n"
      "fangkong_entrance_checks_unanswered_total %llu\n"
      "# HELP fangkong_writer_batches_total Group commits of the writer.\n"
      "# TYPE fangkong_writer_batches_total counter\n"
      "fangkong_writer_batches_total %llu\n"
      "# HELP fangkong_writer_batched_total Checks in those commits.\n"
      "# TYPE fangkong_writer_batched_total counter\n"
      "fangkong_writer_batched_total %llu\n"
      "# HELP fangkong_writer_batch_max The largest group commit.\n"
      "# TYPE fangkong_writer_batch_max gauge\n"
      "fangkong_writer_batch_max %llu\n",
      (unsigned long long)get(&m->requests[2]), (unsigned long long)get(&m->requests[4]),
      (unsigned long long)get(&m->requests[5]), (unsigned long long)get(&m->inflight),
      (double)get(&m->latency_us) / 1e6, (unsigned long long)get(&m->checks),
      (unsigned long long)get(&m->checks_pass), (unsigned long long)get(&m->checks_unanswered),
      (unsigned long long)get(&m->batches), (unsigned long long)get(&m->batched),
      (unsigned long long)get(&m->batch_max));
  return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}
