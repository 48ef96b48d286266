#ifndef CGSL_SHIM_H
#define CGSL_SHIM_H

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

/* GSL exposes generator types as mutable globals, which Swift 6 rejects as
   not concurrency-safe; returning them from a function sidesteps that. */
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }

#endif
