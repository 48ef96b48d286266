/* The reference for scripts/bench: the same M/M/c model as scenarios/validation/mmc.yaml
 * (c = 8, lambda = 7.2/s, mu = 1/s, 1,000,000 customers, first 10,000 excluded) as a plain C
 * binary-heap event loop with GSL's MT19937 and exponential sampler: the floor a general
 * engine can approach. Prints events, mean wait and events/s. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct { int64_t t; uint64_t seq; int kind; } ev;
static ev *heap; static size_t n, cap;
static int less(ev a, ev b) { return a.t < b.t || (a.t == b.t && a.seq < b.seq); }
static void push(ev e) {
  if (n == cap) { cap = cap ? cap * 2 : 1024; heap = realloc(heap, cap * sizeof(ev)); }
  size_t i = n++;
  while (i > 0) { size_t p = (i - 1) / 2; if (!less(e, heap[p])) break; heap[i] = heap[p]; i = p; }
  heap[i] = e;
}
static ev pop(void) {
  ev top = heap[0], last = heap[--n]; size_t i = 0;
  for (;;) { size_t c = 2 * i + 1; if (c >= n) break; if (c + 1 < n && less(heap[c + 1], heap[c])) c++;
    if (!less(heap[c], last)) break; heap[i] = heap[c]; i = c; }
  if (n) heap[i] = last;
  return top;
}
static int64_t ns(double s) { return (int64_t)(s * 1e9 + 0.5); }

int main(int argc, char **argv) {
  long customers = argc > 1 ? atol(argv[1]) : 1000000;
  int c = 8; double lambda = 7.2, mean_service = 1.0;
  gsl_rng *ra = gsl_rng_alloc(gsl_rng_mt19937), *rs = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(ra, 1); gsl_rng_set(rs, 2);
  int64_t *queue = malloc(sizeof(int64_t) * (customers + 1)); long qh = 0, qt = 0;
  struct timespec t0, t1; clock_gettime(CLOCK_MONOTONIC, &t0);
  uint64_t seq = 0, events = 0; long arrived = 0, departed = 0, counted = 0; int busy = 0; double wsum = 0;
  push((ev){ ns(gsl_ran_exponential(ra, 1 / lambda)), seq++, 0 });
  while (n && departed < customers) {
    ev e = pop(); events++;
    if (e.kind == 0) {
      arrived++;
      if (arrived < customers) push((ev){ e.t + ns(gsl_ran_exponential(ra, 1 / lambda)), seq++, 0 });
      if (busy < c) { busy++; if (arrived > 10000) counted++; push((ev){ e.t + ns(gsl_ran_exponential(rs, mean_service)), seq++, 1 }); }
      else queue[qt++] = e.t | ((int64_t)(arrived > 10000) << 62);
    } else {
      departed++;
      if (qh < qt) { int64_t q = queue[qh++]; int64_t at = q & ~((int64_t)1 << 62);
        if (q >> 62) { wsum += (e.t - at) / 1e9; counted++; }
        push((ev){ e.t + ns(gsl_ran_exponential(rs, mean_service)), seq++, 1 }); }
      else busy--;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("events %llu mean_wait %.5f loop_seconds %.4f events_per_s %.0f\n", (unsigned long long)events, wsum / counted, secs, events / secs);
  return 0;
}
