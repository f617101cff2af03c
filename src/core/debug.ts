import type { Shape } from '../shape/dim.js';
import { TraceError } from './errors.js';
import type { ArrayTensor } from './tensor.js';
import { storageOf } from './tensor.js';
import type { DType } from './dtype.js';

/** @internal State of the NaN/Inf check; see {@link debugNans}. */
export const checkFinite = {
  enabled: false,
  /** Transform levels active while checking, innermost last, for the message. */
  describeLevel: (): string => 'no transform',
  check(primName: string, out: ArrayTensor<Shape, DType>): void {
    const data = storageOf(out) as Float32Array | Float64Array;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v - v !== 0) {
        throw new TraceError(
          `debugNans: ${primName} produced ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} at flat index ${i} ` +
            `(output shape [${(out.shape as unknown as number[]).join(',')}], ${checkFinite.describeLevel()})`,
        );
      }
    }
  },
};
