/* Trace output (see trace_out.h). */
#include <stdlib.h>
#include <string.h>

#include "present/trace_out.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/table.h"
#include "fangkong/time.h"

/* A merged row: the contact, the case it was traced from, and its own copy of the exposures. */
struct fk__merged {
  struct fk_contact c;
  int64_t index_person;
  struct fk_exposure *exp;
};

static const char *const header = "index_person_id,contact_person_id,degree,category,"
                                  "via_person_id,first_exposure,last_exposure,exposures,places\n";

void fk__trace_out_init(struct fk__trace_out *o, const struct fk_trace_index *ix, int json,
                        int merge, FILE *f)
{
  memset(o, 0, sizeof *o);
  o->ix = ix;
  o->json = json;
  o->merge = merge;
  o->f = f;
  fk__strmap_init(&o->best);
}

/* Any category other than close is general, as it always was (fangkong/vocab.h). */
static const char *category(enum fk_category c)
{
  return fk_categories[c == FK_CAT_CLOSE];
}

/* A line of output gathered in memory and written with one fwrite: a depth-2 trace prints
   hundreds of thousands of rows, and printf's formatting was most of that. */
struct line {
  FILE *f;
  size_t n;
  char buf[1024];
};

/* Appends n bytes of s. */
static void put(struct line *l, const char *s, size_t n)
{
  if (l->n + n > sizeof l->buf) {
    fwrite(l->buf, 1, l->n, l->f);
    l->n = 0;
    if (n > sizeof l->buf) {
      fwrite(s, 1, n, l->f);
      return;
    }
  }
  memcpy(l->buf + l->n, s, n);
  l->n += n;
}

static void put_str(struct line *l, const char *s)
{
  put(l, s, strlen(s));
}

/* Appends v in decimal. */
static void put_num(struct line *l, size_t v)
{
  char d[24];
  size_t at = sizeof d;
  do
    d[--at] = (char)('0' + v % 10);
  while ((v /= 10));
  put(l, d + at, sizeof d - at);
}

static void put_time(struct line *l, fk_time t)
{
  char buf[FK_TIME_BUFSZ];
  put_str(l, fk_time_format(t, buf));
}

static void flush_line(struct line *l)
{
  fwrite(l->buf, 1, l->n, l->f);
  l->n = 0;
}

/* The distinct places of a contact's exposures, "household" for the home, joined by ';'. */
static void places(struct line *l, const struct fk_trace_index *ix, const struct fk_contact *c)
{
  for (size_t i = 0; i < c->nexp; i++) {
    size_t k = 0;
    while (k < i && c->exp[k].place != c->exp[i].place)
      k++;
    if (k < i) continue; /* already listed */
    const char *id = c->exp[i].place ? fk_trace_place_id(ix, c->exp[i].place) : "household";
    if (i) put(l, ";", 1);
    put_str(l, id ? id : "?");
  }
}

/* The CSV row of contact c of the case index_person. */
static void csv_row(FILE *f, const struct fk_trace_index *ix, int64_t index_person,
                    const struct fk_contact *c)
{
  struct line l;
  l.f = f;
  l.n = 0;
  put_str(&l, fk_trace_person_id(ix, index_person));
  put(&l, ",", 1);
  put_str(&l, fk_trace_person_id(ix, c->person));
  put(&l, ",", 1);
  put_num(&l, (size_t)c->degree);
  put(&l, ",", 1);
  put_str(&l, category(c->category));
  put(&l, ",", 1);
  put_str(&l, c->via ? fk_trace_person_id(ix, c->via) : "");
  put(&l, ",", 1);
  put_time(&l, fk_trace_time(c->first));
  put(&l, ",", 1);
  put_time(&l, fk_trace_time(c->last));
  put(&l, ",", 1);
  put_num(&l, c->nexp);
  put(&l, ",", 1);
  places(&l, ix, c);
  put(&l, "\n", 1);
  flush_line(&l);
}

static void json_str(FILE *f, const char *s)
{
  if (s)
    fk_json_string(f, s, strlen(s));
  else
    fputs("null", f);
}

static void json_exposures(FILE *f, const struct fk_trace_index *ix, const struct fk_exposure *e,
                           size_t n)
{
  struct line l;
  l.f = f;
  l.n = 0;
  fputs("[", f);
  for (size_t i = 0; i < n; i++) {
    fputs(i ? ", {\"place_id\": " : "{\"place_id\": ", f);
    json_str(f, e[i].place ? fk_trace_place_id(ix, e[i].place) : NULL);
    put_str(&l, e[i].place ? ", \"household\": false, \"start\": \""
                           : ", \"household\": true, \"start\": \"");
    put_time(&l, fk_trace_time(e[i].start));
    put_str(&l, "\", \"end\": \"");
    put_time(&l, fk_trace_time(e[i].end));
    put_str(&l, "\", \"category\": \"");
    put_str(&l, category(e[i].category));
    put_str(&l, "\"}");
    flush_line(&l);
  }
  fputs("]", f);
}

/* The JSON object of contact c of the case index_person. */
static void json_contact(FILE *f, const struct fk_trace_index *ix, int64_t index_person,
                         const struct fk_contact *c)
{
  char first[FK_TIME_BUFSZ], last[FK_TIME_BUFSZ];
  fputs("{\"index_person_id\": ", f);
  json_str(f, fk_trace_person_id(ix, index_person));
  fputs(", \"contact_person_id\": ", f);
  json_str(f, fk_trace_person_id(ix, c->person));
  fprintf(f, ", \"degree\": %d, \"category\": \"%s\", \"via_person_id\": ", c->degree,
          category(c->category));
  json_str(f, c->via ? fk_trace_person_id(ix, c->via) : NULL);
  fprintf(f, ", \"first_exposure\": \"%s\", \"last_exposure\": \"%s\", \"exposures\": %zu",
          fk_time_format(fk_trace_time(c->first), first),
          fk_time_format(fk_trace_time(c->last), last), (size_t)c->nexp);
  fputs(", \"places\": \"", f);
  struct line l;
  l.f = f;
  l.n = 0;
  places(&l, ix, c); /* place ids are identifiers: nothing to escape */
  flush_line(&l);
  fputs("\", \"evidence\": ", f);
  json_exposures(f, ix, c->exp, c->nexp);
  fputs("}", f);
}

static void json_trace(FILE *f, const struct fk_trace_index *ix, const struct fk_trace_result *r)
{
  char a[FK_TIME_BUFSZ], b[FK_TIME_BUFSZ];
  fputs("{\"index_person_id\": ", f);
  json_str(f, fk_trace_person_id(ix, r->index_person));
  fprintf(f, ", \"window_start\": \"%s\", \"window_end\": \"%s\", \"contacts\": [",
          fk_time_format(r->window_start, a), fk_time_format(r->window_end, b));
  for (size_t i = 0; i < r->ncontacts; i++) {
    fputs(i ? ",\n   " : "\n   ", f);
    json_contact(f, ix, r->index_person, &r->contacts[i]);
  }
  fputs("],\n  \"links\": [", f);
  for (size_t i = 0; i < r->nlinks; i++) {
    const struct fk_case_link *l = &r->links[i];
    fputs(i ? ", {\"from_person_id\": " : "{\"from_person_id\": ", f);
    json_str(f, fk_trace_person_id(ix, l->from));
    fputs(", \"to_person_id\": ", f);
    json_str(f, fk_trace_person_id(ix, l->to));
    fprintf(f, ", \"first_exposure\": \"%s\", \"last_exposure\": \"%s\", \"evidence\": ",
            fk_time_format(l->first, a), fk_time_format(l->last, b));
    json_exposures(f, ix, l->exp, l->nexp);
    fputs("}", f);
  }
  fputs("]}", f);
}

/* One line per case for the person at the console: counts by kind of contact, and links. */
static void summary(const struct fk_trace_index *ix, const struct fk_trace_result *r)
{
  long close = 0, general = 0, second = 0;
  char a[FK_TIME_BUFSZ], b[FK_TIME_BUFSZ];
  for (size_t i = 0; i < r->ncontacts; i++) {
    const struct fk_contact *c = &r->contacts[i];
    if (c->degree == 2)
      second++;
    else if (c->category == FK_CAT_CLOSE)
      close++;
    else
      general++;
  }
  fprintf(stderr,
          "trace %s: window %s .. %s: %ld close contacts (密接), %ld general (一般接触者), "
          "%ld secondary (密接的密接)",
          fk_trace_person_id(ix, r->index_person), fk_time_format(r->window_start, a),
          fk_time_format(r->window_end, b), close, general, second);
  for (size_t i = 0; i < r->nlinks; i++)
    fprintf(stderr, "%s%s", i ? ", " : "; met case ", fk_trace_person_id(ix, r->links[i].to));
  fputc('\n', stderr);
}

/* Is a better than b for the merged row: lower degree, then later last exposure? */
static int better(const struct fk_contact *a, const struct fk_contact *b)
{
  return a->degree != b->degree ? a->degree < b->degree : a->last > b->last;
}

/* Keeps contact c of the case index_person when it is the best row of its person so far. */
static int keep(struct fk__trace_out *o, int64_t index_person, const struct fk_contact *c)
{
  int64_t at;
  if (fk__strmap_get(&o->best, (const char *)&c->person, sizeof c->person, &at)) {
    struct fk__merged *m = &o->rows[at];
    if (!better(c, &m->c)) return 0;
    fk_free(m->exp);
  } else {
    if (o->nrows == o->cap) {
      size_t cap = o->cap ? o->cap * 2 : 256;
      struct fk__merged *p = fk_realloc(o->rows, cap * sizeof *p);
      if (!p) return FK_ENOMEM;
      o->rows = p;
      o->cap = cap;
    }
    at = (int64_t)o->nrows++;
    if (fk__strmap_put(&o->best, (const char *)&c->person, sizeof c->person, at)) return FK_ENOMEM;
  }
  struct fk__merged *m = &o->rows[at];
  m->c = *c;
  m->index_person = index_person;
  m->exp = fk_malloc((c->nexp ? c->nexp : 1) * sizeof *m->exp);
  if (!m->exp) return FK_ENOMEM;
  memcpy(m->exp, c->exp, c->nexp * sizeof *m->exp);
  m->c.exp = m->exp;
  return 0;
}

int fk__trace_out_add(struct fk__trace_out *o, const struct fk_trace_result *r)
{
  if (!o->quiet) summary(o->ix, r);
  if (o->merge) {
    for (size_t i = 0; i < r->ncontacts; i++)
      if (keep(o, r->index_person, &r->contacts[i])) return FK_ENOMEM;
    return 0;
  }
  if (o->json) {
    fputs(o->traces ? ",\n " : "{\"traces\": [\n ", o->f);
    json_trace(o->f, o->ix, r);
  } else {
    if (!o->traces) fputs(header, o->f);
    for (size_t i = 0; i < r->ncontacts; i++)
      csv_row(o->f, o->ix, r->index_person, &r->contacts[i]);
  }
  o->traces++;
  return 0;
}

static int by_person(const void *a, const void *b)
{
  const struct fk__merged *x = a, *y = b;
  return x->c.person < y->c.person ? -1 : x->c.person > y->c.person;
}

int fk__trace_out_finish(struct fk__trace_out *o)
{
  if (o->merge) {
    if (o->nrows) qsort(o->rows, o->nrows, sizeof *o->rows, by_person); /* NULL when none */
    fputs(o->json ? "{\"contacts\": [" : header, o->f);
    for (size_t i = 0; i < o->nrows; i++) {
      if (!o->json) {
        csv_row(o->f, o->ix, o->rows[i].index_person, &o->rows[i].c);
        continue;
      }
      fputs(i ? ",\n " : "\n ", o->f);
      json_contact(o->f, o->ix, o->rows[i].index_person, &o->rows[i].c);
    }
    if (o->json) fputs("]}\n", o->f);
  } else if (o->json) {
    fputs(o->traces ? "]}\n" : "{\"traces\": []}\n", o->f);
  } else if (!o->traces) {
    fputs(header, o->f);
  }
  return fflush(o->f) || ferror(o->f) ? FK_EIO : 0;
}

void fk__trace_out_free(struct fk__trace_out *o)
{
  for (size_t i = 0; i < o->nrows; i++)
    fk_free(o->rows[i].exp);
  fk_free(o->rows);
  fk__strmap_clear(&o->best);
}
