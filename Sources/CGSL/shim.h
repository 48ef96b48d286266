#ifndef CGSL_SHIM_H
#define CGSL_SHIM_H

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <stdint.h>

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

/* A ring's indices and a try-lock, shared by the run's thread that draws from a random stream
   and a waiting thread that computes its draws ahead (SimCore PrefetchedDraws.swift): C11
   acquire/release on plain words, so that where the words lie (a cache line each) is explicit. */
static inline uint64_t cgsl_load_acquire(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void cgsl_store_release(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static inline int cgsl_try_lock(uint64_t *p) { return __atomic_exchange_n(p, 1, __ATOMIC_ACQUIRE) == 0; }
static inline void cgsl_unlock(uint64_t *p) { __atomic_store_n(p, 0, __ATOMIC_RELEASE); }

#endif
