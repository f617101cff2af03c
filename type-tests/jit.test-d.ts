// jit keeps the exact type of the function it compiles; static and donate
// name argument positions of that function; makeProgram gives a program.
import { expectError, expectType } from 'tsd';
import { jit, jitStats, makeProgram, mul, optim, valueAndGrad, sum, matmul, type JitStats, type StagedProgram, type Tensor } from '../src/index.js';

type Params = { w: Tensor<[3, 2]>; b: Tensor<[2]> };
declare const params: Params;
declare const x: Tensor<[4, 3]>;
declare const v: Tensor<[2]>;

const f = (p: Params, xb: Tensor<[4, 3]>, scale: number) => mul(sum(matmul(xb, p.w)), scale);
const jf = jit(f, { static: [2] });
expectType<typeof f>(jf);
expectType<Tensor<[], 'float32'>>(jf(params, x, 2));
expectError(jf(params, v, 2));
expectError(jf(params, x));
expectError(jf(params, x, 'two'));

// static and donate are positions of f's arguments
expectError(jit(f, { static: [3] }));
expectError(jit(f, { donate: [5] }));
jit(f, { donate: [0], static: [2] });

// a whole training step keeps its type
const opt = optim.adam(1e-3);
const step = jit(
  (p: Params, state: ReturnType<typeof opt.init<Params>>, xb: Tensor<[4, 3]>) => {
    const [loss, grads] = valueAndGrad((q: Params) => sum(matmul(xb, q.w)))(p);
    return { ...opt.step(p, grads, state), loss };
  },
  { donate: [0, 1] },
);
const out = step(params, opt.init(params), x);
expectType<Params>(out.params);
expectType<Tensor<[], 'float32'>>(out.loss);

expectType<JitStats>(jitStats(jf));
expectType<number>(jitStats(jf).traces);

expectType<StagedProgram>(makeProgram(f)(params, x, 2));
expectType<string>(makeProgram(f)(params, x, 2).toString());
expectError(makeProgram(f)(params, x));
