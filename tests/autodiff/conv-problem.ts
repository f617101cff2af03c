// A conv problem for the table-driven primitive tests (gradient checks and batching rules).
import fc from 'fast-check';
import { convDim, type ConvGeometry } from '../../src/shape/conv.js';

/** A random conv geometry and the dims of x [n, c, h, w], w [o, c/g, kh, kw] and y that fit it. */
export const convProblem = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }), groups: fc.integer({ min: 1, max: 2 }), cg: fc.integer({ min: 1, max: 2 }), og: fc.integer({ min: 1, max: 2 }),
    kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 2 }), sh: fc.integer({ min: 1, max: 2 }), sw: fc.integer({ min: 1, max: 2 }),
    dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 2 }), ph: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
    pw: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })), h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 4 }),
  })
  .map((r) => ({
    ...r,
    geometry: { stride: [r.sh, r.sw], padding: [r.ph, r.pw], dilation: [r.dh, r.dw], groups: r.groups } as ConvGeometry,
    x: [r.n, r.cg * r.groups, r.h, r.w],
    wt: [r.og * r.groups, r.cg, r.kh, r.kw],
    y: [r.n, r.og * r.groups, convDim(r.h, r.kh, r.sh, r.ph, r.dh), convDim(r.w, r.kw, r.sw, r.pw, r.dw)],
  }))
  .filter((p) => p.y[2]! > 0 && p.y[3]! > 0);
