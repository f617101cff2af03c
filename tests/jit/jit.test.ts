import { describe, expect, it } from 'vitest';
import {
  add,
  exp,
  grad,
  jit,
  jitStats,
  makeProgram,
  matmul,
  mul,
  scalar,
  sin,
  sum,
  tensor,
  zeros,
  ShapeError,
  TraceError,
  type Scalar,
  type Tensor,
  where,
  gt,
} from '../../src/index.js';

describe('jit: values', () => {
  it('gives what the function gives, on trees in and out', () => {
    const f = (p: { w: Tensor<[2, 3]>; b: Tensor<[3]> }, x: Tensor<[4, 2]>) => {
      const h = add(matmul(x, p.w), p.b);
      return { h, s: [sum(h), sin(h)] as const };
    };
    const p = { w: tensor([[1, 2, 3], [4, 5, 6]]), b: tensor([0.5, -1, 2]) };
    const x = tensor([[1, 0], [0, 1], [1, 1], [-1, 2]]);
    const want = f(p, x);
    const got = jit(f)(p, x);
    expect(got.h).toBeAllclose(want.h);
    expect(got.s[0]).toBeAllclose(want.s[0]);
    expect(got.s[1]).toBeAllclose(want.s[1]);
  });

  it('returns plain output leaves as they were when staged', () => {
    const f = jit((x: Tensor<[2]>) => ({ y: mul(x, 2), tag: 'double', n: 2 }));
    const out = f(tensor([1, 2]));
    expect(out.tag).toBe('double');
    expect(out.n).toBe(2);
    expect(out.y.toArray()).toEqual([2, 4]);
  });

  it('returns outputs that do not depend on the inputs (constants) and inputs unchanged', () => {
    const c = tensor([7, 8]);
    const f = jit((x: Tensor<[2]>) => [c, x, mul(c, 2)] as const);
    const x = tensor([1, 2]);
    const [a, b, d] = f(x);
    expect(a.toArray()).toEqual([7, 8]);
    expect(b.toArray()).toEqual([1, 2]);
    expect(d.toArray()).toEqual([14, 16]);
    expect(x.toArray()).toEqual([1, 2]);
  });

  it('keeps the primitive errors of the function (abstract evaluation runs the shape rules)', () => {
    const f = jit((a: Tensor<[2, 3]>, b: Tensor<[2, 3]>) => matmul(a, b as never));
    expect(() => f(zeros([2, 3]), zeros([2, 3]))).toThrow(ShapeError);
    expect(() => f(zeros([2, 3]), zeros([2, 3]))).toThrow(/matmul/);
  });
});

describe('jit: closed-over constants', () => {
  it('fixes closed-over tensors into the program as constants (read when staged)', () => {
    const w = tensor([1, 2, 3]);
    const f = (x: Tensor<[3]>) => mul(x, w);
    const p = makeProgram(f)(tensor([1, 1, 1]));
    expect(p.consts.map((c) => c.value)).toContain(w);
    expect(p.inputs).toHaveLength(1);
    expect(jit(f)(tensor([2, 2, 2])).toArray()).toEqual([2, 4, 6]);
  });

  it('evaluates operations on constants alone at trace time and records only their result', () => {
    const w = tensor([1, 2, 3]);
    const p = makeProgram((x: Tensor<[3]>) => mul(x, exp(w)))(tensor([1, 1, 1]));
    expect(p.eqns.map((e) => e.prim)).toEqual(['mul']);
  });

  it('shares one constant var for a tensor used twice', () => {
    const w = tensor([1, 2, 3]);
    const p = makeProgram((x: Tensor<[3]>) => add(mul(x, w), w))(tensor([1, 1, 1]));
    expect(p.consts).toHaveLength(1);
  });
});

describe('makeProgram', () => {
  it('prints the program like jax.make_jaxpr', () => {
    const p = makeProgram((x: Tensor<[3]>) => sin(mul(x, x)))(tensor([1, 2, 3]));
    expect(p.toString()).toBe(['{ lambda  ; v0:float32[3] . let', '    v1:float32[3] = mul v0 v0', '    v2:float32[3] = sin v1', '  in ( v2 ) }'].join('\n'));
  });

  it('records params, shapes and dtypes from the primitive rules', () => {
    const p = makeProgram((x: Tensor<[2, 3], 'float64'>) => sum(x, 1))(zeros([2, 3], { dtype: 'float64' }));
    expect(p.eqns).toHaveLength(1);
    expect(p.eqns[0]!.prim).toBe('sum');
    expect(p.eqns[0]!.out.shape).toEqual([2]);
    expect(p.eqns[0]!.out.dtype).toBe('float64');
    expect(p.outputs).toEqual([p.eqns[0]!.out]);
  });

  it('stages grad: forward and backward pass in one program', () => {
    const loss = (w: Tensor<[3]>) => sum(sin(mul(w, w)));
    const p = makeProgram(grad(loss))(tensor([1, 2, 3]));
    const prims = p.eqns.map((e) => e.prim);
    expect(prims).toContain('sin');
    expect(prims).toContain('cos');
    expect(p.outputs[0]!.shape).toEqual([3]);
  });
});

describe('jit: the cache', () => {
  const f = (x: Tensor<[number]>) => mul(x, 2);

  it('stages once per signature and never again for the same one', () => {
    const g = jit(f);
    g(tensor([1, 2]));
    g(tensor([3, 4]));
    g(tensor([5, 6]));
    expect(jitStats(g)).toEqual({ traces: 1, compiles: 1, hits: 2, unstaged: 0, entries: 1 });
  });

  it('retraces on a new shape, and goes back to the old program without retracing', () => {
    const g = jit(f);
    g(tensor([1, 2]));
    expect(g(tensor([1, 2, 3])).toArray()).toEqual([2, 4, 6]);
    expect(g(tensor([1, 2])).toArray()).toEqual([2, 4]);
    expect(g(tensor([1, 2, 3])).toArray()).toEqual([2, 4, 6]);
    expect(jitStats(g)).toMatchObject({ traces: 2, hits: 2, entries: 2 });
  });

  it('retraces on a new dtype', () => {
    const g = jit(f);
    g(tensor([1, 2]));
    const y = g(tensor([1, 2], { dtype: 'float64' }) as never) as unknown as Tensor<[number], 'float64'>;
    expect(y.dtype).toBe('float64');
    expect(jitStats(g).traces).toBe(2);
  });

  it('retraces on a new tree structure (keys, lengths, tensor vs array)', () => {
    const g = jit((p: Record<string, Tensor<[2]>>) => Object.values(p).reduce((a, b) => add(a, b)));
    g({ a: tensor([1, 2]) });
    g({ a: tensor([1, 2]), b: tensor([3, 4]) });
    g({ b: tensor([1, 2]) });
    g({ a: tensor([5, 6]) });
    expect(jitStats(g)).toMatchObject({ traces: 3, hits: 1 });
    const h = jit((xs: readonly Tensor<[2]>[]) => xs.reduce((a, b) => add(a, b)));
    h([tensor([1, 2])]);
    expect(h([tensor([1, 2]), tensor([1, 1])]).toArray()).toEqual([2, 3]);
    expect(jitStats(h).traces).toBe(2);
  });

  it('retraces on a new static value (compared by value), never on an equal one', () => {
    const g = jit((x: Tensor<[2]>, opts: { scale: number; mode: string }) => (opts.mode === 'mul' ? mul(x, opts.scale) : add(x, opts.scale)), { static: [1] });
    expect(g(tensor([1, 2]), { scale: 3, mode: 'mul' }).toArray()).toEqual([3, 6]);
    expect(g(tensor([1, 2]), { scale: 3, mode: 'mul' }).toArray()).toEqual([3, 6]);
    expect(g(tensor([1, 2]), { scale: 3, mode: 'add' }).toArray()).toEqual([4, 5]);
    expect(g(tensor([1, 2]), { scale: 4, mode: 'add' }).toArray()).toEqual([5, 6]);
    expect(jitStats(g)).toMatchObject({ traces: 3, hits: 1 });
  });

  it('is not fooled by a static object mutated after the call', () => {
    const g = jit((x: Tensor<[2]>, o: { k: number }) => mul(x, o.k), { static: [1] });
    const o = { k: 2 };
    expect(g(tensor([1, 2]), o).toArray()).toEqual([2, 4]);
    o.k = 3;
    expect(g(tensor([1, 2]), o).toArray()).toEqual([3, 6]);
    expect(jitStats(g).traces).toBe(2);
  });

  it('treats plain leaves of non-static arguments as part of the key', () => {
    const g = jit((s: { x: Tensor<[2]>; k: number }) => mul(s.x, s.k));
    expect(g({ x: tensor([1, 2]), k: 2 }).toArray()).toEqual([2, 4]);
    expect(g({ x: tensor([1, 2]), k: 3 }).toArray()).toEqual([3, 6]);
    expect(g({ x: tensor([5, 6]), k: 3 }).toArray()).toEqual([15, 18]);
    expect(jitStats(g)).toMatchObject({ traces: 2, hits: 1 });
  });

  it('keeps one cache per jitted function', () => {
    const a = jit(f), b = jit(f);
    a(tensor([1]));
    b(tensor([1]));
    expect(jitStats(a).traces).toBe(1);
    expect(jitStats(b).traces).toBe(1);
  });

  it('a donated tensor whose buffer a call took over throws when read, and the chain of returned tensors stays right', () => {
    const step = jit((p: Tensor<[300]>, x: Tensor<[300]>) => ({ p: add(mul(p, 2), x) }), { donate: [0] });
    const x = tensor(new Float32Array(300).fill(1), [300]);
    const p0 = tensor(new Float32Array(300).fill(1), [300]);
    let p = p0;
    const seen: Tensor<[300]>[] = [];
    for (let i = 0; i < 4; i++) {
      p = step(p, x).p;
      seen.push(p);
    }
    expect(p.toTypedArray()[299]).toBe(31); // 1 -> 3 -> 7 -> 15 -> 31
    expect(p0.toTypedArray()[0]).toBe(1); // a user's own array is never taken over... or, where it is, reading it throws:
    // every earlier result either still holds its own value or throws a TraceError, never a later step's values.
    seen.slice(0, -1).forEach((t, i) => {
      let value: number | undefined;
      try {
        value = t.toTypedArray()[0];
      } catch (e) {
        expect(e).toBeInstanceOf(TraceError);
        expect((e as Error).message).toMatch(/jit: this tensor was donated/);
      }
      if (value !== undefined) expect(value).toBe(2 ** (i + 2) - 1);
    });
  });

  it('rejects bad options and unknown functions', () => {
    expect(() => jit(f, { static: [-1 as never] })).toThrow(TraceError);
    expect(() => jit((x: Tensor<[2]>, k: number) => mul(x, k), { static: [1], donate: [1] })).toThrow(/both static and donated/);
    expect(() => jitStats(f)).toThrow(/not made by jit/);
    const g = jit((x: Tensor<[2]>, k: Tensor<[2]>) => mul(x, k), { static: [1] });
    expect(() => g(tensor([1, 2]), tensor([1, 2]))).toThrow(/static argument 1 is a tensor/);
  });
});

describe('jit: TraceError on reading a traced value', () => {
  const cases: [string, (x: Scalar) => unknown, RegExp][] = [
    ['item', (x) => x.item(), /jit: \.item\(\) reads the value of a traced tensor \(float32\[\]\)/],
    ['toArray', (x) => x.toArray(), /\.toArray\(\)/],
    ['toTypedArray', (x) => x.toTypedArray(), /\.toTypedArray\(\)/],
    ['concrete', (x) => x.concrete(), /concrete\(\)/],
    ['a JS comparison', (x) => ((x as unknown as number) < 0 ? 1 : 2), /JS comparison or arithmetic/],
    ['JS arithmetic', (x) => (x as unknown as number) * 2, /JS comparison or arithmetic/],
  ];
  for (const [name, body, message] of cases) {
    it(`${name} names the op and says what to do`, () => {
      const f = jit((x: Scalar) => {
        body(x);
        return x;
      });
      expect(() => f(scalar(1))).toThrow(TraceError);
      expect(() => f(scalar(1))).toThrow(message);
      expect(() => f(scalar(1))).toThrow(/mark that argument static.*where\(cond, a, b\)/);
    });
  }

  it('also under grad inside jit (the value under the grad tracer is abstract)', () => {
    const f = jit(grad((x: Scalar) => {
      if ((x as unknown as number) > 0) return mul(x, x);
      return x;
    }));
    expect(() => f(scalar(1))).toThrow(TraceError);
  });

  it('still allows template strings (they print the type)', () => {
    let text = '';
    jit((x: Scalar) => {
      text = `${x as unknown as string}`;
      return x;
    })(scalar(1));
    expect(text).toBe('Tensor<[], float32>');
  });

  it('where is the staged way to branch on values', () => {
    const f = jit((x: Tensor<[3]>) => where(gt(x, 0), x, mul(x, -1)));
    expect(f(tensor([-1, 2, -3])).toArray()).toEqual([1, 2, 3]);
  });

  it('a failed staging caches nothing and leaves no trace open', () => {
    const f = jit((x: Scalar) => mul(x, x.item()));
    expect(() => f(scalar(2))).toThrow(TraceError);
    expect(jitStats(f)).toMatchObject({ traces: 0, entries: 0 });
    expect(mul(scalar(2), 3).item()).toBe(6);
  });
});
