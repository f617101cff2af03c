import { type DType, promoteDTypes } from '../core/dtype.js';
import { DTypeError } from '../core/errors.js';

/** Floating-point result of a transcendental op: ints and bools become float32. */
export function floatResult(op: string) {
  return (dtypes: readonly DType[]): DType => {
    const d = dtypes[0]!;
    return d === 'float64' || d === 'float32' ? d : 'float32';
  };
}

/** Same dtype as the input, which must be numeric (not bool). */
export function numericSame(op: string) {
  return (dtypes: readonly DType[]): DType => {
    const d = dtypes[0]!;
    if (d === 'bool') throw new DTypeError(`${op}: expected a numeric tensor, got bool`);
    return d;
  };
}

/** Promoted dtype of two numeric operands (bool arithmetic is done in int32). */
export function promoted(op: string) {
  return (dtypes: readonly DType[]): DType => {
    const d = promoteDTypes(dtypes[0]!, dtypes[1]!);
    return d === 'bool' ? 'int32' : d;
  };
}

/** Promoted floating dtype (true division): int and bool give float32. */
export function promotedFloat(op: string) {
  return (dtypes: readonly DType[]): DType => {
    const d = promoteDTypes(dtypes[0]!, dtypes[1]!);
    return d === 'float64' ? 'float64' : 'float32';
  };
}

/** Comparisons always give bool. */
export function boolResult(): DType {
  return 'bool';
}
