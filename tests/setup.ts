import '../src/testing/vitest.js';

