import { add, mul, sub, sum, mean, zeros, random, reshape, type Dim, type Tensor, type Shape } from '../src/index.js';
const x = zeros([2, 3]);
export const a: Tensor<[2, 3]> = add(x, zeros([3]));
export const b: Tensor<[2, 3]> = mul(x, 2);
export const c: Tensor<[2, 3]> = mul(0.5, x);
export function g<B extends Dim>(h: Tensor<[B, 10]>): Tensor<[B, 10]> { return sub(h, add(h, h)); }
export function g2<S extends Shape>(h: Tensor<S>): Tensor<S> { return mul(add(h, h), 2); }
export function g3<B extends Dim, T extends Dim, C extends Dim>(h: Tensor<[B, T, C]>): Tensor<[B, T, C]> { return sub(h, mean(h, -1, true)); }
export function generic<S extends readonly Dim[], D extends 'float32' | 'float64'>(a: Tensor<S, D>): Tensor<S, D> { return add(a, a) as Tensor<S, D>; }
declare const i: Tensor<[2, 3], 'int32'>;
export const d: Tensor<[2, 3], 'int32'> = mul(i, 3);
export const e: Tensor<[], 'float32'> = sum(x);
const k = random.key(1);
export const f: Tensor<[4, 3, 5, 5], 'float64'> = add(random.normal(k, [4, 3, 5, 5], { dtype: 'float64' }), reshape(random.normal(k, [3], { dtype: 'float64' }), [3, 1, 1]));
const q1 = mul(x, 2);
export const r: [typeof q1] = null as unknown as string;
