/**
 * Type-level arithmetic on dims, for the shape rules that must count
 * (reshape, flatten, concat, slice, split).
 *
 * Numbers are handled as decimal strings, one digit at a time, with small
 * lookup tables: exact up to 2^53, `number` above that, and cheap (a product
 * of two 4-digit dims is a few thousand instantiations). Tuple-length
 * arithmetic is not used anywhere: it stops at 999 and at 10,000 elements.
 * Every recursion is tail-recursive.
 *
 * Internally a natural number is a string of digits, least significant
 * first ("reversed"), with no trailing zeros; `''` is zero. Consuming two
 * reversed strings digit by digit and appending each result digit produces
 * a reversed string again.
 *
 * @module
 */
import type { SymName } from './dim.js';

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type Bit = '0' | '1';

// AddT[c][a][b] = carry and digit of a + b + c.
type AddT = [
  [
    ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09'],
    ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'],
    ['02', '03', '04', '05', '06', '07', '08', '09', '10', '11'],
    ['03', '04', '05', '06', '07', '08', '09', '10', '11', '12'],
    ['04', '05', '06', '07', '08', '09', '10', '11', '12', '13'],
    ['05', '06', '07', '08', '09', '10', '11', '12', '13', '14'],
    ['06', '07', '08', '09', '10', '11', '12', '13', '14', '15'],
    ['07', '08', '09', '10', '11', '12', '13', '14', '15', '16'],
    ['08', '09', '10', '11', '12', '13', '14', '15', '16', '17'],
    ['09', '10', '11', '12', '13', '14', '15', '16', '17', '18'],
  ],
  [
    ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'],
    ['02', '03', '04', '05', '06', '07', '08', '09', '10', '11'],
    ['03', '04', '05', '06', '07', '08', '09', '10', '11', '12'],
    ['04', '05', '06', '07', '08', '09', '10', '11', '12', '13'],
    ['05', '06', '07', '08', '09', '10', '11', '12', '13', '14'],
    ['06', '07', '08', '09', '10', '11', '12', '13', '14', '15'],
    ['07', '08', '09', '10', '11', '12', '13', '14', '15', '16'],
    ['08', '09', '10', '11', '12', '13', '14', '15', '16', '17'],
    ['09', '10', '11', '12', '13', '14', '15', '16', '17', '18'],
    ['10', '11', '12', '13', '14', '15', '16', '17', '18', '19'],
  ],
];

// SubT[w][a][b] = borrow and digit of a - b - w (mod 10).
type SubT = [
  [
    ['00', '19', '18', '17', '16', '15', '14', '13', '12', '11'],
    ['01', '00', '19', '18', '17', '16', '15', '14', '13', '12'],
    ['02', '01', '00', '19', '18', '17', '16', '15', '14', '13'],
    ['03', '02', '01', '00', '19', '18', '17', '16', '15', '14'],
    ['04', '03', '02', '01', '00', '19', '18', '17', '16', '15'],
    ['05', '04', '03', '02', '01', '00', '19', '18', '17', '16'],
    ['06', '05', '04', '03', '02', '01', '00', '19', '18', '17'],
    ['07', '06', '05', '04', '03', '02', '01', '00', '19', '18'],
    ['08', '07', '06', '05', '04', '03', '02', '01', '00', '19'],
    ['09', '08', '07', '06', '05', '04', '03', '02', '01', '00'],
  ],
  [
    ['19', '18', '17', '16', '15', '14', '13', '12', '11', '10'],
    ['00', '19', '18', '17', '16', '15', '14', '13', '12', '11'],
    ['01', '00', '19', '18', '17', '16', '15', '14', '13', '12'],
    ['02', '01', '00', '19', '18', '17', '16', '15', '14', '13'],
    ['03', '02', '01', '00', '19', '18', '17', '16', '15', '14'],
    ['04', '03', '02', '01', '00', '19', '18', '17', '16', '15'],
    ['05', '04', '03', '02', '01', '00', '19', '18', '17', '16'],
    ['06', '05', '04', '03', '02', '01', '00', '19', '18', '17'],
    ['07', '06', '05', '04', '03', '02', '01', '00', '19', '18'],
    ['08', '07', '06', '05', '04', '03', '02', '01', '00', '19'],
  ],
];

// MulT[a][b] = the two digits of a * b.
type MulT = [
  ['00', '00', '00', '00', '00', '00', '00', '00', '00', '00'],
  ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09'],
  ['00', '02', '04', '06', '08', '10', '12', '14', '16', '18'],
  ['00', '03', '06', '09', '12', '15', '18', '21', '24', '27'],
  ['00', '04', '08', '12', '16', '20', '24', '28', '32', '36'],
  ['00', '05', '10', '15', '20', '25', '30', '35', '40', '45'],
  ['00', '06', '12', '18', '24', '30', '36', '42', '48', '54'],
  ['00', '07', '14', '21', '28', '35', '42', '49', '56', '63'],
  ['00', '08', '16', '24', '32', '40', '48', '56', '64', '72'],
  ['00', '09', '18', '27', '36', '45', '54', '63', '72', '81'],
];

type Succ = { '0': '1'; '1': '2'; '2': '3'; '3': '4'; '4': '5'; '5': '6'; '6': '7'; '7': '8'; '8': '9'; '9': '10' };

// ---------------------------------------------------------------------------
// Conversions

/** `"abc"` → `"cba"`. */
type Rev<S extends string, Acc extends string = ''> = S extends `${infer H}${infer T}` ? Rev<T, `${H}${Acc}`> : Acc;

/** Drops the zeros at the end of a reversed number (the leading zeros of the number). */
type Trim<S extends string> = S extends `${infer H}0` ? Trim<H> : S;

type AllDigits<S extends string> = S extends `${Digit}${infer T}` ? (T extends '' ? true : AllDigits<T>) : false;

/**
 * The reversed digit string of a non-negative integer literal dim, or `never`
 * for anything else (`number`, a `Sym`, a negative or fractional literal, or a
 * literal too large to print in plain digits).
 */
type NatR<N> = N extends number
  ? number extends N
    ? never
    : [SymName<N>] extends [never]
      ? AllDigits<`${N}`> extends true
        ? Trim<Rev<`${N}`>>
        : never
      : never
  : never;

/** A reversed digit string back to a number literal, or `number` when it is not exactly representable. */
type ToNum<R extends string> = R extends ''
  ? 0
  : Rev<R> extends `${infer N extends number}`
    ? `${N}` extends Rev<R>
      ? N
      : number
    : number;

// ---------------------------------------------------------------------------
// Digit loops on reversed strings

type AddR<A extends string, B extends string, C extends Bit = '0', Acc extends string = ''> = A extends `${infer a extends Digit}${infer AT}`
  ? B extends `${infer b extends Digit}${infer BT}`
    ? AddT[C][a][b] extends `${infer c extends Bit}${infer d}`
      ? AddR<AT, BT, c, `${Acc}${d}`>
      : never
    : AddT[C][a]['0'] extends `${infer c extends Bit}${infer d}`
      ? AddR<AT, '', c, `${Acc}${d}`>
      : never
  : B extends `${infer b extends Digit}${infer BT}`
    ? AddT[C]['0'][b] extends `${infer c extends Bit}${infer d}`
      ? AddR<'', BT, c, `${Acc}${d}`>
      : never
    : C extends '1'
      ? `${Acc}1`
      : Acc;

/** A - B on reversed strings: the reversed, trimmed difference, or `'-'` when B > A. */
type SubR<A extends string, B extends string, W extends Bit = '0', Acc extends string = ''> = A extends `${infer a extends Digit}${infer AT}`
  ? B extends `${infer b extends Digit}${infer BT}`
    ? SubT[W][a][b] extends `${infer w extends Bit}${infer d}`
      ? SubR<AT, BT, w, `${Acc}${d}`>
      : never
    : SubT[W][a]['0'] extends `${infer w extends Bit}${infer d}`
      ? SubR<AT, '', w, `${Acc}${d}`>
      : never
  : B extends ''
    ? W extends '1'
      ? '-'
      : Trim<Acc>
    : '-';

/** A * d on reversed strings, d a single digit. */
type MulDigitR<A extends string, D extends Digit, C extends Digit = '0', Acc extends string = ''> = A extends `${infer a extends Digit}${infer AT}`
  ? MulT[a][D] extends `${infer t extends Digit}${infer u extends Digit}`
    ? AddT['0'][u][C] extends `${infer k extends Bit}${infer d}`
      ? AddT['0'][t][k] extends `0${infer c extends Digit}`
        ? MulDigitR<AT, D, c, `${Acc}${d}`>
        : never
      : never
    : never
  : C extends '0'
    ? Acc
    : `${Acc}${C}`;

/** A * B on reversed strings: one partial product per digit of B, shifted by its position. */
type MulR<A extends string, B extends string, Shift extends string = '', Acc extends string = ''> = B extends `${infer b extends Digit}${infer BT}`
  ? MulR<A, BT, `${Shift}0`, b extends '0' ? Acc : AddR<Acc, `${Shift}${MulDigitR<A, b>}`>>
  : Trim<Acc>;

/** Largest q with q * B <= R (by repeated subtraction), and R - q * B. */
type QuotDigit<R extends string, B extends string, Q extends Digit = '0'> =
  SubR<R, B> extends infer D extends string ? (D extends '-' ? [Q, R] : QuotDigit<D, B, Succ[Q] & Digit>) : never;

/** Long division of A (normal order) by B (reversed): [quotient, remainder], both reversed. */
type DivModR<A extends string, B extends string, Q extends string = '', R extends string = ''> = A extends `${infer d}${infer AT}`
  ? QuotDigit<Trim<`${d}${R}`>, B> extends [infer q extends string, infer r extends string]
    ? DivModR<AT, B, `${q}${Q}`, r>
    : never
  : [Trim<Q>, R];

/** Both dims as reversed digit strings, or `false` when either is not a known size. */
type Nats<A, B> = [NatR<A>, NatR<B>] extends [infer a, infer b] ? ([a] extends [never] ? false : [b] extends [never] ? false : [a, b]) : false;

// ---------------------------------------------------------------------------
// Public arithmetic on dims

/**
 * `true` when `D` is a known non-negative integer literal dim, `false` for
 * `number`, a `Sym`, a negative or fractional literal.
 *
 * @example
 * ```ts
 * type T = IsNat<784>;          // true
 * type F = IsNat<Sym<'batch'>>; // false
 * ```
 */
export type IsNat<D> = [NatR<D>] extends [never] ? false : true;

/**
 * A + B for dims: exact for known sizes up to 2^53, `number` otherwise.
 *
 * @example
 * ```ts
 * type T = Add<60000, 10000>; // 70000
 * type U = Add<3, number>;    // number
 * ```
 */
export type Add<A, B> = Nats<A, B> extends [infer a extends string, infer b extends string] ? ToNum<AddR<a, b>> : number;

/**
 * A - B for dims: `never` when B > A, `number` when either is not known.
 *
 * @example
 * ```ts
 * type T = Sub<10, 3>; // 7
 * type N = Sub<5, 7>;  // never
 * ```
 */
export type Sub<A, B> = Nats<A, B> extends [infer a extends string, infer b extends string]
  ? SubR<a, b> extends infer D extends string
    ? D extends '-'
      ? never
      : ToNum<D>
    : never
  : number;

/**
 * A * B for dims: exact for known sizes up to 2^53, `number` otherwise.
 *
 * @example
 * ```ts
 * type T = Mul<784, 256>; // 200704
 * ```
 */
export type Mul<A, B> = Nats<A, B> extends [infer a extends string, infer b extends string] ? ToNum<MulR<a, b>> : number;

/**
 * A / B when B divides A exactly, `never` when it does not (or B is 0),
 * `number` when either is not known.
 *
 * @example
 * ```ts
 * type T = DivExact<47040000, 784>; // 60000
 * type N = DivExact<10, 3>;         // never
 * ```
 */
export type DivExact<A, B> = Nats<A, B> extends [infer a extends string, infer b extends string]
  ? b extends ''
    ? never
    : DivModR<Rev<a>, b> extends [infer q extends string, '']
      ? ToNum<q>
      : never
  : number;

/**
 * ceil(A / B) for dims (B > 0): the length of a slice of A elements taken
 * with step B. `never` for B = 0, `number` when either is not known.
 *
 * @example
 * ```ts
 * type T = DivCeil<10, 3>; // 4
 * ```
 */
export type DivCeil<A, B> = Nats<A, B> extends [infer a extends string, infer b extends string]
  ? b extends ''
    ? never
    : DivModR<Rev<a>, b> extends [infer q extends string, infer r extends string]
      ? r extends ''
        ? ToNum<q>
        : ToNum<AddR<q, '1'>>
      : never
  : number;

/**
 * Compares two known dims: `'lt'`, `'eq'` or `'gt'`; `'unknown'` when either is not known.
 *
 * @example
 * ```ts
 * type T = Compare<11, 10>; // 'gt'
 * ```
 */
export type Compare<A, B> = Nats<A, B> extends [infer a extends string, infer b extends string]
  ? SubR<a, b> extends infer D
    ? D extends '-'
      ? 'lt'
      : D extends ''
        ? 'eq'
        : 'gt'
    : never
  : 'unknown';

/**
 * The number of elements of a shape: exact when every dim is known (up to
 * 2^53), `number` otherwise. The empty shape has one element.
 *
 * @example
 * ```ts
 * type T = Product<[60000, 784]>;    // 47040000
 * type U = Product<[number, 784]>;   // number
 * type E = Product<[]>;              // 1
 * ```
 */
export type Product<S extends readonly unknown[]> = ProductR<S, '1'>;

type ProductR<S extends readonly unknown[], Acc extends string> = S extends readonly [infer H, ...infer T]
  ? [NatR<H>] extends [infer h extends string]
    ? [h] extends [never]
      ? number
      : ProductR<T, MulR<Acc, h>>
    : never
  : S extends readonly []
    ? ToNum<Acc>
    : number;

/**
 * The sign and absolute value of an integer literal: `Signed<-3>` is
 * `['-', 3]`, `Signed<4>` is `['+', 4]`; `false` for anything else
 * (`number`, a fraction, a `Sym`).
 *
 * @example
 * ```ts
 * type T = Signed<-3>; // ['-', 3]
 * ```
 */
export type Signed<N> = N extends number
  ? number extends N
    ? false
    : `${N}` extends `-${infer Abs extends number}`
      ? IsNat<Abs> extends true
        ? ['-', Abs]
        : false
      : IsNat<N> extends true
        ? ['+', N]
        : false
  : false;
