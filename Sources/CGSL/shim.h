#ifndef CGSL_SHIM_H
#define CGSL_SHIM_H

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

/* GSL exposes generator types as mutable globals, which Swift 6 rejects as
   not concurrency-safe; returning them from a function sidesteps that. */
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }

/* A cache-line prefetch for writing (x86 PREFETCHW / PREFETCHT0): the engine asks the model to
   start loading the next event's entity while the current event runs (SimCore Prefetch.swift). */
static inline void cgsl_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }

/* A spin-wait hint (x86 PAUSE, Arm YIELD): a waiter polling an atomic at the window barrier
   (SimCore LookaheadWindows.swift) yields the core's shared resources meanwhile. */
static inline void cgsl_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
