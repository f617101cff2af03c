import { pipe } from 'fp-ts/lib/function.js';
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import type { Tensor } from '../src/core/tensor.js';
import { concatDatasets, fromArray, fromTensors, mapDataset, moduleDataset, subset, type Dataset, type TensorDataset } from '../src/data/dataset.js';
import { breastCancer, wine } from '../src/data/datasets.js';
import { loader, type AsyncLoader, type Collated, type Loader, type LoaderPosition, type Step } from '../src/data/loader.js';
import { minMaxScaler, standardScaler, type StandardScaler } from '../src/data/preprocessing.js';
import { trainTestSplit } from '../src/data/split.js';
import { zeros } from '../src/ops/create.js';
import { key } from '../src/random/index.js';

const { x, y } = breastCancer();

// fromTensors: rows typed from the tensors' shapes, dtype kept.
const ds = fromTensors(x, y);
expectType<TensorDataset<[Tensor<[30], 'float32'>, Tensor<[], 'float32'>]>>(ds);
expectType<[Tensor<[30], 'float32'>, Tensor<[], 'float32'>]>(ds.get(0));
expectType<[Tensor<[13], 'float32'>, Tensor<[], 'int32'>]>(fromTensors(wine().x, wine().y).get(0));
expectType<[Tensor<[4, 4], 'float32'>]>(fromTensors(zeros([10, 4, 4])).get(0));
// Literal row counts that differ are a compile error (and a ShapeError at run time).
expectError(fromTensors(zeros([569, 30]), zeros([570])));
// A scalar has no sample axis.
expectError(fromTensors(zeros([])));
// Shapes known only at run time stay number[].
declare const dynamic: Tensor<number[]>;
expectType<[Tensor<number[], 'float32'>]>(fromTensors(dynamic).get(0));
expectType<Tensor<number[], 'float32'>>(trainTestSplit(key(0), [dynamic], { testSize: 0.5 }).train[0]);

// Any { length, get } is a dataset.
const own: Dataset<{ id: number }> = { length: 3, get: (i) => ({ id: i }) };
expectType<Dataset<string>>(mapDataset(own, (item) => String(item.id)));
expectType<Dataset<string>>(pipe(own, mapDataset((item: { id: number }) => String(item.id))));
expectType<Dataset<{ id: number }>>(subset(own, [0, 2]));
expectType<TensorDataset<[Tensor<[30], 'float32'>, Tensor<[], 'float32'>]>>(subset(ds, [1, 2]));
expectType<Dataset<{ id: number }>>(concatDatasets(own, own));
expectType<TensorDataset<[Tensor<[30], 'float32'>, Tensor<[], 'float32'>]>>(concatDatasets(ds, ds));
expectType<Dataset<number>>(fromArray([1, 2, 3]));

// Batches: the batch dim is the literal batch size with dropLast: true, else number.
const k = key(0);
const dropping = loader(ds, { batchSize: 32, shuffle: true, key: k, dropLast: true });
expectType<Loader<[Tensor<[32, 30], 'float32'>, Tensor<[32], 'float32'>]>>(dropping);
const keeping = loader(ds, { batchSize: 32, shuffle: true, key: k });
expectType<Loader<[Tensor<[number, 30], 'float32'>, Tensor<[number], 'float32'>]>>(keeping);
expectType<Loader<[Tensor<[number, 30], 'float32'>, Tensor<[number], 'float32'>]>>(loader(ds, { batchSize: 32, dropLast: false }));
for (const [xb, yb] of dropping) {
  expectType<Tensor<[32, 30], 'float32'>>(xb);
  expectType<Tensor<[32], 'float32'>>(yb);
}
// A batch size only known at run time gives number either way.
declare const size: number;
expectType<Loader<[Tensor<[number, 30], 'float32'>, Tensor<[number], 'float32'>]>>(loader(ds, { batchSize: size, dropLast: true }));
// The literal dim does not widen to another literal.
expectNotAssignable<Loader<[Tensor<[64, 30], 'float32'>, Tensor<[64], 'float32'>]>>(dropping);

// Steps and positions are plain values.
for (const step of keeping.steps()) {
  expectType<Step<[Tensor<[number, 30], 'float32'>, Tensor<[number], 'float32'>]>>(step);
  expectType<LoaderPosition>(step.next);
}
expectType<Loader<[Tensor<[32, 30], 'float32'>, Tensor<[32], 'float32'>]>>(dropping.epoch(3));
expectType<Loader<[Tensor<[32, 30], 'float32'>, Tensor<[32], 'float32'>]>>(dropping.from({ epoch: 1, index: 4 }));
expectType<[Tensor<[32, 30], 'float32'>, Tensor<[32], 'float32'>]>(dropping.at({ epoch: 0, index: 0 }));

// shuffle: true needs a key; a key must come from random.key.
expectError(loader(ds, { batchSize: 32, shuffle: true }));
expectError(loader(ds, { batchSize: 32, shuffle: true, key: 42 }));
expectError(loader(ds, { shuffle: false }));

// Default collation of plain items: numbers float32, typed arrays rows, structure kept.
expectType<Loader<{ x: Tensor<[number, number], 'float32'>; y: Tensor<[number], 'float32'> }>>(
  loader(fromArray([{ x: new Float32Array(2), y: 1 }]), { batchSize: 2 }),
);
expectType<Collated<[Int32Array, boolean, Float64Array], 8>>([
  zeros([8, 3], { dtype: 'int32' }) as Tensor<[8, number], 'int32'>,
  zeros([8], { dtype: 'bool' }),
  zeros([8, 2], { dtype: 'float64' }) as Tensor<[8, number], 'float64'>,
]);
// A custom collate decides the batch type.
expectType<Loader<number>>(loader(fromArray([1, 2, 3]), { batchSize: 2, collate: (items) => items.length }));

// Workers: a module dataset, iterated with for await only.
const md = moduleDataset(import.meta.url, { length: 4, get: (i: number) => ({ x: new Float32Array([i]), y: i }) });
const parallel = loader(md, { batchSize: 2, workers: 2 });
expectType<AsyncLoader<{ x: Tensor<[number, number], 'float32'>; y: Tensor<[number], 'float32'> }>>(parallel);
expectAssignable<AsyncIterable<unknown>>(parallel);
expectNotAssignable<Iterable<unknown>>(parallel);

// trainTestSplit keeps the row shape with a number of samples, for tuples and records.
const split = trainTestSplit(k, [x, y], { testSize: 0.2 });
expectType<[Tensor<[number, 30], 'float32'>, Tensor<[number], 'float32'>]>(split.train);
expectType<[Tensor<[number, 30], 'float32'>, Tensor<[number], 'float32'>]>(split.test);
expectType<{ x: Tensor<[number, 30], 'float32'>; names: string[] }>(trainTestSplit(k, { x, names: ['a'] }, { testSize: 1 }).train);
expectError(trainTestSplit(42, [x], { testSize: 0.2 }));

// Scalers: fit gives plain numbers; transform keeps shape and dtype.
expectType<StandardScaler>(standardScaler.fit(x));
expectAssignable<{ mean: readonly number[]; scale: readonly number[] }>(standardScaler.fit(x));
expectType<Tensor<[569, 30], 'float32'>>(standardScaler.transform(standardScaler.fit(x), x));
expectType<Tensor<[number, 30], 'float32'>>(minMaxScaler.transform(minMaxScaler.fit(split.train[0]), split.test[0]));
expectError(standardScaler.fit(zeros([3, 2], { dtype: 'int32' })));
