import { expectAssignable, expectError, expectType } from 'tsd';
import type { Tensor } from '../src/core/tensor.js';
import * as random from '../src/random/index.js';

const k = random.key(0);
expectType<random.Key>(k);
expectType<readonly [number, number]>(k.words);
expectType<random.Key>(random.foldIn(k, 3));

// split: a tuple typed by the literal n; Key[] when n is only known at run time.
expectType<[random.Key, random.Key]>(random.split(k));
expectType<[random.Key, random.Key, random.Key]>(random.split(k, 3));
expectType<[]>(random.split(k, 0));
declare const n: number;
expectType<random.Key[]>(random.split(k, n));
const [a, b] = random.split(k);
expectType<random.Key>(a);
expectType<random.Key>(b);

// Samplers: the shape comes from the argument, the dtype from the options.
expectType<Tensor<[2, 3], 'float32'>>(random.uniform(k, [2, 3]));
expectType<Tensor<[2, 3], 'float64'>>(random.uniform(k, [2, 3], { dtype: 'float64' }));
expectType<Tensor<[4], 'float32'>>(random.uniform(k, [4], { min: -1, max: 1 }));
expectType<Tensor<[], 'float32'>>(random.uniform(k, []));
expectType<Tensor<[5], 'float32'>>(random.normal(k, [5], { mean: 1, std: 2 }));
expectType<Tensor<[5, 1], 'float64'>>(random.normal(k, [5, 1], { dtype: 'float64' }));
expectType<Tensor<[8, 8], 'float32'>>(random.truncatedNormal(k, [8, 8]));
expectType<Tensor<[8], 'float64'>>(random.truncatedNormal(k, [8], { lower: -1, upper: 1, dtype: 'float64' }));
expectType<Tensor<[3], 'bool'>>(random.bernoulli(k, 0.5, [3]));
expectType<Tensor<[], 'bool'>>(random.bernoulli(k, 0.5));
expectType<Tensor<[2, 2], 'int32'>>(random.randint(k, [2, 2], 0, 10));
expectType<Tensor<[10], 'int32'>>(random.permutation(k, 10));
expectType<string[]>(random.shuffle(k, ['a', 'b']));
expectType<number[]>(random.shuffle(k, [1, 2, 3] as const as readonly number[]));

// A shape known only at run time gives a run-time shape.
declare const dims: number[];
expectType<Tensor<number[], 'float32'>>(random.uniform(k, dims));
expectAssignable<Tensor<[number, 3], 'float32'>>(random.uniform(k, [n, 3]));

// Only real keys are keys.
expectError(random.uniform({ words: [0, 0] as const }, [2]));
expectError(random.uniform(0, [2]));
expectError(random.normal([0, 0], [2]));
expectError(random.split(42));
expectError(random.foldIn(k, 'step'));

// Only float dtypes for the float samplers.
expectError(random.uniform(k, [2], { dtype: 'int32' }));
expectError(random.normal(k, [2], { dtype: 'bool' }));
expectError(random.truncatedNormal(k, [2], { dtype: 'float16' }));

// Shapes are arrays of numbers.
expectError(random.uniform(k, 3));
expectError(random.uniform(k, ['2']));
