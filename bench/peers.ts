/**
 * Loads the peer libraries with dynamic `import()`, so a missing or broken
 * peer becomes a reported error for its rows, not a crash of the suite.
 */

/** TensorFlow.js (the umbrella package: core, layers, cpu backend). */
export type Tf = typeof import('@tensorflow/tfjs');
/** jax-js. */
export type Jax = typeof import('@jax-js/jax');

/**
 * TensorFlow.js with `backend` active: `cpu` (plain JS kernels, in the
 * package) or `wasm` (`@tensorflow/tfjs-backend-wasm`, XNNPACK kernels).
 */
export async function loadTfjs(backend: 'cpu' | 'wasm'): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(backend))) throw new Error(`@tensorflow/tfjs: setBackend('${backend}') failed`);
  await tf.ready();
  if (tf.getBackend() !== backend) throw new Error(`@tensorflow/tfjs: backend is ${tf.getBackend()}, expected ${backend}`);
  return tf;
}

/**
 * jax-js on its `wasm` device (the only one it offers in Node). `init()`
 * with no argument probes WebGPU through `navigator`, which Node 20 lacks, so
 * the device is named.
 */
export async function loadJax(): Promise<Jax> {
  const jax = await import('@jax-js/jax');
  const devices = await jax.init('wasm');
  if (!devices.includes('wasm')) throw new Error(`@jax-js/jax: wasm device unavailable (got ${devices.join(', ')})`);
  jax.defaultDevice('wasm');
  return jax;
}

/**
 * jax-js is lazy: each call queues work, and the queue gets slower to extend
 * the longer it grows (on this machine W1 with jit takes 117 us per epoch
 * when the loss is read every 10 epochs, 153 us every epoch, 289 us every
 * 100, 3.3 ms every 1000). Its README recommends blocking regularly, so the
 * jax-js workloads read their loss (or w) back every this many steps, the
 * fastest of 1, 10, 100 and 1000.
 */
export const JAX_SYNC_EVERY = 10;
