/*
 * Four doubles at a time for the row loops of Farrington's fit (glm.c, farrington.c), with GCC's
 * and Clang's vector extensions: plain C that the baseline x86-64 build runs as two SSE2
 * halves and the AVX2 clone (FK__LANES_CLONES, chosen by GCC at run time on x86-64) as one
 * instruction. Floating-point contraction stays off (ISO C mode), so both clones compute the same
 * bits. Loads, stores, splats, selects and sums are macros, not functions: a function taking or
 * returning a vector would have an ABI that differs between the two clones.
 */
#ifndef FK_DETECT_LANES_H
#define FK_DETECT_LANES_H

#include <string.h>

#define FK__LANES 4

typedef double fk__vd __attribute__((vector_size(FK__LANES * sizeof(double))));
typedef long long fk__vl __attribute__((vector_size(FK__LANES * sizeof(long long))));
typedef int fk__vi __attribute__((vector_size(FK__LANES * sizeof(int))));

#define FK__VLOAD(v, p) memcpy(&(v), (p), sizeof(fk__vd))
#define FK__VSTORE(p, v) memcpy((p), &(v), sizeof(fk__vd))
#define FK__VSPLAT(x) ((fk__vd){(x), (x), (x), (x)})
#define FK__VSUM(v) (((v)[0] + (v)[1]) + ((v)[2] + (v)[3]))
#define FK__VANY(m) ((m)[0] | (m)[1] | (m)[2] | (m)[3])
/* lanes of a where the mask m (a comparison's result) is set, else of b */
#define FK__VSELECT(m, a, b) ((fk__vd)(((fk__vl)(a) & (m)) | ((fk__vl)(b) & ~(m))))
/* the table entries tab[idx[i .. i + 3]] */
#define FK__VGATHER(tab, idx, i)                                                                   \
  ((fk__vd){(tab)[(idx)[(i)]], (tab)[(idx)[(i) + 1]], (tab)[(idx)[(i) + 2]], (tab)[(idx)[(i) + 3]]})

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define FK__LANES_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define FK__LANES_CLONES
#endif

#endif
