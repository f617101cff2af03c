import { pipe } from 'fp-ts/lib/function.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import type { Tensor } from '../src/core/tensor.js';
import * as AI from '../src/data/async-iter.js';
import { csvToTensor, loadtxt, readCsv, readCsvOrThrow, type CsvSource, type CsvTable } from '../src/data/csv.js';
import { breastCancer, digits, fashionMnist, iris, wine } from '../src/data/datasets.js';
import type { CsvError, IdxError } from '../src/data/errors.js';
import { readIdx, type IdxArray } from '../src/data/idx.js';
import * as I from '../src/data/iter.js';
import { workerMap } from '../src/data/workers.js';
import { key } from '../src/random/index.js';

// Bundled datasets: literal dims in the tensor types; labels float32 for the binary set, int32 otherwise.
expectType<Tensor<[569, 30], 'float32'>>(breastCancer().x);
expectType<Tensor<[569], 'float32'>>(breastCancer().y);
expectType<Tensor<[178, 13], 'float32'>>(wine().x);
expectType<Tensor<[178], 'int32'>>(wine().y);
expectType<Tensor<[150, 4], 'float32'>>(iris().x);
expectType<Tensor<[150], 'int32'>>(iris().y);
expectType<Tensor<[1797, 64], 'float32'>>(digits().x);
expectType<Tensor<[1797], 'int32'>>(digits().y);
expectType<readonly string[]>(iris().targetNames);
const fm = fashionMnist({ dir: '/data/fashion-mnist' });
expectType<Tensor<[60000, 784], 'float32'>>(fm.train.x);
expectType<Tensor<[60000], 'int32'>>(fm.train.y);
expectType<Tensor<[10000, 784], 'float32'>>(fm.test.x);
expectType<Tensor<[10000], 'int32'>>(fm.test.y);
// A literal dim is not some other literal.
expectNotAssignable<Tensor<[570, 30]>>(breastCancer().x);
expectNotAssignable<Tensor<[150], 'float32'>>(iris().y);

// CSV: the dtype option picks the table and tensor dtype; float32 by default.
expectType<Either<CsvError, CsvTable<'float32'>>>(readCsv({ text: '1,2\n' }));
expectType<Either<CsvError, CsvTable<'float64'>>>(readCsv({ path: 'a.csv' }, { dtype: 'float64' }));
expectType<CsvTable<'int32'>>(readCsvOrThrow({ text: '1\n' }, { dtype: 'int32' }));
expectType<Int32Array>(readCsvOrThrow({ text: '1\n' }, { dtype: 'int32' }).data);
expectType<Float32Array>(readCsvOrThrow({ text: '1\n' }).data);
expectType<readonly string[] | null>(readCsvOrThrow({ text: '1\n' }).header);
expectType<Tensor<[number, number], 'float64'>>(csvToTensor(readCsvOrThrow({ text: '1\n' }, { dtype: 'float64' })));
expectType<Tensor<[number, number], 'float32'>>(loadtxt('wine.csv', { delimiter: ',', skipRows: 1 }));
// A source is a path or a text, never a bare string and never both.
expectError(readCsv('wine.csv'));
expectNotAssignable<CsvSource>({ path: 'a.csv', text: '1,2' });
expectAssignable<CsvSource>({ path: new URL('file:///a.csv') });
// Only the CSV dtypes, and columns all indices or all names.
expectError(readCsv({ text: '1\n' }, { dtype: 'bool' }));
expectError(readCsv({ text: '1\n' }, { columns: [0, 'a'] }));

// IDX: the dtype tag narrows the data array.
declare const idx: Either<IdxError, IdxArray>;
expectType<Either<IdxError, IdxArray>>(readIdx(new Uint8Array(0)));
declare const arr: IdxArray;
if (arr.dtype === 'int16') expectType<Int16Array>(arr.data);
if (arr.dtype === 'uint8') expectType<Uint8Array>(arr.data);
void idx;

// Iterators: data-last, types flow through pipe.
expectType<Iterable<string>>(pipe([1, 2, 3], I.map((x) => String(x))));
expectType<Iterable<number[]>>(pipe([1, 2, 3], I.filter((x) => x > 1), I.batch(2)));
expectType<Iterable<[number, string]>>(pipe(['a'], I.enumerate));
expectType<Iterable<[number, boolean]>>(pipe([1], I.zip([true])));
expectType<Iterable<number>>(pipe([1, 2], I.shuffleBuffer(key(0), 2), I.take(1), I.skip(0)));
expectType<Iterable<string>>(pipe([1, 'a'] as (number | string)[], I.filter((x): x is string => typeof x === 'string')));
expectType<AsyncIterable<number>>(pipe([1, 2], AI.map(async (x) => x * 2), AI.prefetch(2)));
expectType<AsyncIterable<number[]>>(pipe([1, 2], AI.batch(2, { dropLast: true })));
expectType<Promise<number[]>>(AI.toArray(pipe([1], AI.take(1))));
expectError(I.shuffleBuffer(42, 2));

// Workers: the item type is the caller's.
expectType<AsyncIterable<{ i: number }>>(workerMap<{ i: number }>(new URL('file:///items.ts'), [1, 2]));
